# The ResNet-44 library with the factorized-conv candidates of
# ..._resnet20-..._library-factorized.py (plain 3x3 conv, a 3x1 then a 1x3
# conv, no block) for batch-1 budgets in onnxruntime; same training,
# held-out fold and search settings as the shipped ResNet-44 library.
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
