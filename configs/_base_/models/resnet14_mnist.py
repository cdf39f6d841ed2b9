# CIFAR-style ResNet-14 (6 BasicBlocks, 16/32/64 channels, projection
# shortcuts) for 1-channel 28 x 28 MNIST digits.
model = dict(
    type='ImageClassifier',
    _scope_='mmpretrain',
    backbone=dict(type='mmrecast.CifarResNet', depth=14, in_channels=1),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss')))
