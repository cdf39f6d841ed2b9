# Plain ConvNet-56: 27 Conv-BN-ReLU (9 per stage, 16/32/64), bare stem conv.
# The network that recasting ResNet-56 produces: 0.416 M params, 61.8 M MACs.
model = dict(
    type='ImageClassifier',
    _scope_='mmpretrain',
    backbone=dict(type='mmrecast.ConvNet', depth=56),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))
