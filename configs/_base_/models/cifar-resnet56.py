# CIFAR ResNet-56 (basic blocks, 1x1 conv + BN projection shortcuts, bare
# stem conv): the network recasting reference teacher. 0.856 M params,
# 125.7 M MACs. Change `depth` for 20/32/44/110.
model = dict(
    type='ImageClassifier',
    _scope_='mmpretrain',
    backbone=dict(type='mmrecast.CifarResNet', depth=56, shortcut='B'),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))
