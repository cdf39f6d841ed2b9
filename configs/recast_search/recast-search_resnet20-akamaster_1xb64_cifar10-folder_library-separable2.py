# The ResNet-20 candidate library for batch-1 budgets in onnxruntime: a plain
# conv, two depthwise-separable convs (the block's two 3x3 windows, each
# split into a depthwise and a pointwise conv; faster than one plain conv at
# batch 1 in onnxruntime, though not in torch) and the shortcut. Same
# training, held-out fold and search settings as the shipped library.
_base_ = ['./recast-search_resnet20-akamaster_1xb64_cifar10-folder_library.py']

model = dict(candidates=[
    dict(
        blocks='backbone.layer*.*',
        recasters=[
            dict(type='BasicBlockToConv'),
            dict(type='BasicBlockToSeparableConv', num_convs=2),
            dict(type='BlockToShortcut'),
        ])
])
