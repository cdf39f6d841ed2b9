# DenseNet-BC-100 (k = 12) teacher with the reference schedule (batch 64).
_base_ = [
    '../_base_/models/densenet-bc100.py',
    '../_base_/datasets/cifar100_bs128.py',
    '../_base_/schedules/cifar_sgd-nesterov_300e_densenet.py',
    '../_base_/default_runtime.py',
]

model = dict(head=dict(num_classes=100))
train_dataloader = dict(batch_size=64)
