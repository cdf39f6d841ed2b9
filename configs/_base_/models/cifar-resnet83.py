# CIFAR ResNet-83 (bottleneck blocks, 9 per stage, widths 16/32/64 x4).
# Change `depth` to 164 for 18 blocks per stage.
model = dict(
    type='ImageClassifier',
    _scope_='mmpretrain',
    backbone=dict(
        type='mmrecast.CifarResNet',
        depth=83,
        block='bottleneck',
        shortcut='B'),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=256,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))
