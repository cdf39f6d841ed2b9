# A small CIFAR-10 classifier straight from mmpretrain: ResNet-18 (CIFAR
# stem) at 1/4 width (16-32-64-128 channels, 0.70 M parameters), trained on
# the image-folder copy of CIFAR-10 at data/cifar10.
_base_ = [
    '../_base_/datasets/cifar10-folder_bs128.py',
    '../_base_/schedules/cifar10_bs128_iter.py',
    '../_base_/default_runtime.py',
]

model = dict(
    type='ImageClassifier',
    _scope_='mmpretrain',
    backbone=dict(
        type='ResNet_CIFAR', depth=18, stem_channels=16, base_channels=16),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=128,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))

default_hooks = dict(checkpoint=dict(by_epoch=False, interval=500))
log_processor = dict(by_epoch=False)
