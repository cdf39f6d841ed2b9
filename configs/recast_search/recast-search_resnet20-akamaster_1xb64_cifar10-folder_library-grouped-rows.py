# The grouped-conv library (same candidates, same trained checkpoint) with
# a limit on grouped convs in a row: a grouped conv never mixes its two
# halves, and a removed block between two of them does not either, so the
# search may not chain more than `most` of them (README, "Grouped convs in
# a row").
_base_ = ['./recast-search_resnet20-akamaster_1xb64_cifar10-folder_'
          'library-grouped.py']

search_cfg = dict(row_limits=[
    dict(
        candidates=['BasicBlockToConv-groups2'],
        through=['BlockToShortcut'],
        most=2)
])
