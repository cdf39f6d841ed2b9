# CIFAR-100, official python version (downloaded to data/cifar100).
_base_ = ['./cifar10_bs128.py']

dataset_type = 'CIFAR100'
data_preprocessor = dict(
    num_classes=100,
    mean=[129.304, 124.070, 112.434],
    std=[68.170, 65.392, 70.418],
)
train_dataloader = dict(
    dataset=dict(type=dataset_type, data_root='data/cifar100'))
val_dataloader = dict(
    dataset=dict(type=dataset_type, data_root='data/cifar100'))
test_dataloader = val_dataloader
