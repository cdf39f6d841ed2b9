# Network Recasting, recast stage on CIFAR-100: the CIFAR-10 recipe with a
# 100-class teacher and the CIFAR-100 data.
_base_ = ['./recast_backbone_resnet83_convnet83_1xb64_cifar10_recast.py']

model = dict(
    teacher=dict(head=dict(num_classes=100)),
    teacher_checkpoint='checkpoints/resnet83_cifar100.pth')

dataset_type = 'CIFAR100'
data_preprocessor = dict(
    num_classes=100,
    mean=[129.304, 124.070, 112.434],
    std=[68.170, 65.392, 70.418])
train_dataloader = dict(
    dataset=dict(type=dataset_type, data_root='data/cifar100'))
val_dataloader = dict(
    dataset=dict(type=dataset_type, data_root='data/cifar100'))
test_dataloader = val_dataloader
