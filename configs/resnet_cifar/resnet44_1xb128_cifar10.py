# CIFAR ResNet-44 teacher with the recasting reference's schedule.
_base_ = [
    '../_base_/models/cifar-resnet56.py',
    '../_base_/datasets/cifar10_bs128.py',
    '../_base_/schedules/cifar_sgd-nesterov_180e.py',
    '../_base_/default_runtime.py',
]

model = dict(backbone=dict(depth=44))
