# Plain ConvNet-56 trained from scratch: the baseline that recasting
# ResNet-56 is compared with (same schedule as the teacher).
_base_ = [
    '../_base_/models/convnet56.py',
    '../_base_/datasets/cifar10_bs128.py',
    '../_base_/schedules/cifar_sgd-nesterov_180e.py',
    '../_base_/default_runtime.py',
]
