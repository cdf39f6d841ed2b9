# CIFAR ResNet-83 (bottleneck) teacher with the reference schedule.
_base_ = [
    '../_base_/models/cifar-resnet83.py',
    '../_base_/datasets/cifar100_bs128.py',
    '../_base_/schedules/cifar_sgd-nesterov_180e.py',
    '../_base_/default_runtime.py',
]

model = dict(head=dict(num_classes=100))
