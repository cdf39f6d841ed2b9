# The ResNet-20 candidate library with a fourth candidate per block: the
# depthwise-separable conv (BasicBlockToSeparableConv), cheaper than a plain
# conv, so that tight budgets need not remove blocks. Results against the
# three-candidate library: README.md.
_base_ = ['./recast-search_resnet20-akamaster_1xb64_cifar10-folder_library.py']

model = dict(candidates=[
    dict(
        blocks='backbone.layer*.*',
        recasters=[
            dict(type='BasicBlockToConv'),
            dict(type='BasicBlockSlim', ratio=0.25),
            dict(type='BasicBlockToSeparableConv'),
            dict(type='BlockToShortcut'),
        ])
])
