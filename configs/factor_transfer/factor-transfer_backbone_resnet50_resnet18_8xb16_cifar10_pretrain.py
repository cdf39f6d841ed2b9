# Factor Transfer stage 1 for the mmrazor seed pair: a paraphraser (k = 0.5)
# on the last stage of an mmpretrain ResNet-50 (CIFAR), 2048 x 4 x 4 ->
# 1024 x 4 x 4 (132.1 M parameters), normalised-L2 reconstruction as
# mmrazor, SGD lr 0.1, 20 epochs, 8 GPUs x 16 images.
#
# Teacher: mmpretrain's CIFAR-10 ResNet-50 (the seed's). Old mmcls files
# may hold pickled objects beyond weights; if you trust the file, add
# --unsafe-load.
_base_ = [
    '../_base_/datasets/cifar10_bs128.py',
    '../_base_/default_runtime.py',
]

teacher = dict(
    type='ImageClassifier',
    _scope_='mmpretrain',
    backbone=dict(type='ResNet_CIFAR', depth=50),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=2048,
        loss=dict(type='CrossEntropyLoss')))
model = dict(
    type='ConnectorPretrain',
    teacher=teacher,
    teacher_checkpoint='https://download.openmmlab.com/mmclassification/v0/'
    'resnet/resnet50_b16x8_cifar10_20210528-f54bfad9.pth',
    teacher_recorders=dict(feat='backbone.layer4'),
    connectors=dict(
        paraphraser=dict(type='Paraphraser', in_channels=2048, rate=0.5)),
    losses=dict(
        loss_rec=dict(
            type='ReconstructionLoss',
            mode='normalized_l2',
            connector='paraphraser',
            record='feat')))

train_dataloader = dict(batch_size=16)
optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.1, momentum=0.9, weight_decay=1e-4, fused=True))
param_scheduler = []
train_cfg = dict(by_epoch=True, max_epochs=20)
auto_scale_lr = dict(base_batch_size=128)

# the connector is not a classifier: nothing to validate or test
val_dataloader = val_cfg = val_evaluator = None
test_dataloader = test_cfg = test_evaluator = None
