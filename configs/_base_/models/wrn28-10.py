# WRN-28-10 (post-activation, no dropout, 1x1 conv + BN projections):
# 36.48 M params, 5243 M MACs.
model = dict(
    type='ImageClassifier',
    _scope_='mmpretrain',
    backbone=dict(type='mmrecast.WideResNet', depth=28, widen_factor=10),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=640,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))
