# Factor Transfer, stage: train, on local data: the pre-trained akamaster
# CIFAR ResNet-44 (converted with tools/model_converters/
# akamaster_resnet_to_mmrecast.py to checkpoints/resnet44_akamaster.pth) ->
# ResNet-20, on the CIFAR-10 image folder in data/cifar10. Inputs use the
# teacher's normalisation (ImageNet mean/std, RGB).
_base_ = [
    '../_base_/models/ft-train_cifar-resnet56_resnet20.py',
    '../_base_/datasets/cifar10-folder_bs128.py',
    '../_base_/schedules/ft-train_sgd_164e.py',
    '../_base_/default_runtime.py',
]

data_preprocessor = dict(
    mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375], to_rgb=True)
model = dict(
    teacher=dict(backbone=dict(depth=44, shortcut='A', stem_norm=True)),
    teacher_checkpoint='checkpoints/resnet44_akamaster.pth',
    init_from=[
        dict(
            module='connectors.paraphraser',
            checkpoint='work_dirs/factor-transfer_backbone_resnet44-akamaster'
            '_resnet20_1xb128_cifar10-folder_pretrain',
            prefix='connectors.paraphraser.')
    ])
