# The ResNet-20 candidate library with a 1x1 conv as the middle candidate,
# for batch-1 latency budgets in onnxruntime: between the plain 3x3 conv
# and no block, it keeps the block's channel mixing and ReLU at a ninth of
# the MACs. Same training, held-out fold and search settings as the
# shipped library.
_base_ = ['./recast-search_resnet20-akamaster_1xb64_cifar10-folder_library.py']

model = dict(candidates=[
    dict(
        blocks='backbone.layer*.*',
        recasters=[
            dict(type='BasicBlockToConv'),
            dict(type='BasicBlockToConv', kernel_size=1),
            dict(type='BlockToShortcut'),
        ])
])
