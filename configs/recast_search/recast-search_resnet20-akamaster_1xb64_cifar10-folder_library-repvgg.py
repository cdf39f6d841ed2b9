# The factorized-conv library with mmpretrain's RepVGG block in place of the
# plain conv: a 3x3 and a 1x1 Conv-BN and a BN'd identity, summed, then
# ReLU. It trains with a residual path and deploys as one 3x3 conv, exactly
# the plain conv's cost, so a plan of such convs keeps its latency and
# fine-tunes as a residual network would. Same training, held-out fold and
# search settings as the shipped library.
_base_ = ['./recast-search_resnet20-akamaster_1xb64_cifar10-folder_library.py']

model = dict(candidates=[
    dict(
        blocks='backbone.layer*.*',
        recasters=[
            dict(type='BasicBlockToRepVGG'),
            dict(type='BasicBlockToFactorizedConv'),
            dict(type='BlockToShortcut'),
        ])
])
