# The ResNet-20 candidate library for batch-1 latency budgets in
# onnxruntime: there a BasicBlockSlim saves less than a plain conv, so the
# cheaper middle candidate is the plain conv in two groups (half its MACs)
# instead. Same training, held-out fold and search settings as the shipped
# library.
_base_ = ['./recast-search_resnet20-akamaster_1xb64_cifar10-folder_library.py']

model = dict(candidates=[
    dict(
        blocks='backbone.layer*.*',
        recasters=[
            dict(type='BasicBlockToConv'),
            dict(type='BasicBlockToConv', groups=2),
            dict(type='BlockToShortcut'),
        ])
])
