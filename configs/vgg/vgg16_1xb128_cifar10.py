# VGG-16 (BN, FC 512 -> 512 + BN1d) teacher with the reference schedule.
_base_ = [
    '../_base_/models/vgg16_cifar.py',
    '../_base_/datasets/cifar10_bs128.py',
    '../_base_/schedules/cifar_sgd-nesterov_180e.py',
    '../_base_/default_runtime.py',
]
