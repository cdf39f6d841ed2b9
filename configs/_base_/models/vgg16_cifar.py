# VGG-16 with BN for CIFAR and the reference's FC 512 -> 512 + BN1d hidden
# layer (in the backbone; the head holds the last FC). 14.99 M params,
# 313.5 M MACs. The backbone outputs (N, 512) features: no neck.
model = dict(
    type='ImageClassifier',
    _scope_='mmpretrain',
    backbone=dict(type='mmrecast.CifarVGG'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))
