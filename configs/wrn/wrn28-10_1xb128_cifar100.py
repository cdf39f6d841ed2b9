# WRN-28-10 teacher with the reference schedule (wd 5e-4, 200 epochs).
_base_ = [
    '../_base_/models/wrn28-10.py',
    '../_base_/datasets/cifar100_bs128.py',
    '../_base_/schedules/cifar_sgd-nesterov_200e_wrn.py',
    '../_base_/default_runtime.py',
]

model = dict(head=dict(num_classes=100))
