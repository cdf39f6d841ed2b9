# Factor Transfer stage 2 for the mmrazor seed pair: ResNet-50 -> ResNet-18
# (mmpretrain ResNet_CIFAR), translator 512 -> 1024 (BN), CE + beta * L_FT
# with the paper's beta = 500 (mmrazor used 1.0, ~1000x weaker); the seed's
# schedule: SGD lr 0.1, wd 1e-4, x0.1 at epochs 100 and 150 of 200, 8 GPUs x
# 16 images. The paraphraser comes from the stage-1 work dir.
_base_ = [
    '../_base_/datasets/cifar10_bs128.py',
    '../_base_/default_runtime.py',
]

model = dict(
    type='SingleTeacherDistill',
    student=dict(
        type='ImageClassifier',
        _scope_='mmpretrain',
        backbone=dict(type='ResNet_CIFAR', depth=18),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead',
            num_classes=10,
            in_channels=512,
            loss=dict(type='CrossEntropyLoss'),
            topk=(1, 5))),
    teacher=dict(
        type='ImageClassifier',
        _scope_='mmpretrain',
        backbone=dict(type='ResNet_CIFAR', depth=50),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead',
            num_classes=10,
            in_channels=2048,
            loss=dict(type='CrossEntropyLoss'))),
    teacher_checkpoint='https://download.openmmlab.com/mmclassification/v0/'
    'resnet/resnet50_b16x8_cifar10_20210528-f54bfad9.pth',
    teacher_recorders=dict(feat='backbone.layer4'),
    student_recorders=dict(feat='backbone.layer4'),
    connectors=dict(
        paraphraser=dict(
            type='Paraphraser', in_channels=2048, rate=0.5, phase='train'),
        translator=dict(
            type='Translator', in_channels=512, out_channels=1024,
            use_bn=True)),
    distill_losses=dict(
        loss_ft=dict(
            type='FTLoss',
            p=1,
            loss_weight=500.0,
            student=dict(record='feat', connector='translator'),
            teacher=dict(record='feat', connector='paraphraser'))),
    init_from=[
        dict(
            module='connectors.paraphraser',
            checkpoint='work_dirs/factor-transfer_backbone_resnet50_resnet18_'
            '8xb16_cifar10_pretrain',
            prefix='connectors.paraphraser.')
    ])

train_dataloader = dict(batch_size=16)
val_dataloader = dict(batch_size=16)
optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.1, momentum=0.9, weight_decay=1e-4, fused=True))
param_scheduler = dict(
    type='MultiStepLR', by_epoch=True, milestones=[100, 150], gamma=0.1)
train_cfg = dict(by_epoch=True, max_epochs=200, val_interval=1)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=128)
