# The ResNet-44 library with the factorized-conv candidates of
# ..._resnet20-..._library-factorized.py (plain 3x3 conv, a 3x1 then a 1x3
# conv, no block) for batch-1 budgets in onnxruntime; same training and
# held-out fold as the shipped ResNet-44 library.
_base_ = ['./recast-search_resnet44-akamaster_1xb64_cifar10-folder_'
          'library.py']

model = dict(candidates=[
    dict(
        blocks='backbone.layer*.*',
        recasters=[
            dict(type='BasicBlockToConv'),
            dict(type='BasicBlockToFactorizedConv'),
            dict(type='BlockToShortcut'),
        ])
])
# the search it was made for (tools/recast_search.py CONFIG --checkpoint
# LIBRARY runs it; --budget, --runtime and --batch override)
search_cfg = dict(
    budgets=['latency=0.7x', 'latency=0.5x', 'latency=0.35x'],
    runtime='onnxruntime',
    batch=1)
