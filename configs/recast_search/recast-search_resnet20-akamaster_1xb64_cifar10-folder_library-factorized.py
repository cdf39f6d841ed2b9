# The ResNet-20 candidate library with a factorized conv as the middle
# candidate, for tight batch-1 latency budgets in onnxruntime: a 3x1 then a
# 1x3 Conv-BN-ReLU at the block's width (Inception-v3's asymmetric
# factorization), 2/3 of a plain conv's MACs with every channel and the
# 3x3 window kept. Same training and held-out fold as the shipped library.
_base_ = ['./recast-search_resnet20-akamaster_1xb64_cifar10-folder_library.py']

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
