# Soft-target knowledge distillation (Hinton et al., 2015), ResNet-56 ->
# ResNet-20 on CIFAR-10: CE + T^2 KL(teacher || student) at T = 4, weight
# 0.9, with the Factor Transfer training schedule for comparison.
#
# Teacher weights: checkpoints/resnet56_cifar10.pth (train
# configs/resnet_cifar/resnet56_1xb128_cifar10.py), or
# --cfg-options model.teacher_checkpoint=PATH.
_base_ = [
    '../_base_/models/cifar-resnet56.py',
    '../_base_/datasets/cifar10_bs128.py',
    '../_base_/schedules/ft-train_sgd_164e.py',
    '../_base_/default_runtime.py',
]

teacher = {{_base_.model}}
model = dict(
    _delete_=True,
    type='SingleTeacherDistill',
    student=dict(
        type='ImageClassifier',
        _scope_='mmpretrain',
        backbone=dict(type='mmrecast.CifarResNet', depth=20, shortcut='B'),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead',
            num_classes=10,
            in_channels=64,
            loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
            topk=(1, 5))),
    teacher=teacher,
    teacher_checkpoint='checkpoints/resnet56_cifar10.pth',
    distill_losses=dict(
        loss_kd=dict(
            type='KDLoss',
            tau=4.0,
            loss_weight=0.9,
            student='logits',
            teacher='logits')))
