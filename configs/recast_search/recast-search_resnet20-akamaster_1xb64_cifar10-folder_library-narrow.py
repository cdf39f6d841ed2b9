# The ResNet-20 candidate library with a narrow plain conv as the middle
# candidate, for tight batch-1 latency budgets in onnxruntime: a 3x3
# Conv-BN-ReLU with half the filters and a 1x1 projection back to the
# block's width, which export folds into the next block's conv when that is
# a plain or narrow conv (the search times the pairs together). Between the
# plain conv and no block, it keeps every block's spatial context and ReLU.
# Same training, held-out fold and search settings as the shipped library.
_base_ = ['./recast-search_resnet20-akamaster_1xb64_cifar10-folder_library.py']

model = dict(candidates=[
    dict(
        blocks='backbone.layer*.*',
        recasters=[
            dict(type='BasicBlockToConv'),
            dict(type='BasicBlockToNarrowConv', ratio=0.5),
            dict(type='BlockToShortcut'),
        ])
])
