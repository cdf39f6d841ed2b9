# Factor Transfer, stage: pretrain, on local data: the pre-trained akamaster
# CIFAR ResNet-44 (converted with tools/model_converters/
# akamaster_resnet_to_mmrecast.py to checkpoints/resnet44_akamaster.pth) ->
# ResNet-20, on the CIFAR-10 image folder in data/cifar10. Inputs use the
# teacher's normalisation (ImageNet mean/std, RGB).
_base_ = [
    '../_base_/models/ft-pretrain_cifar-resnet56.py',
    '../_base_/datasets/cifar10-folder_bs128.py',
    '../_base_/schedules/ft-pretrain_sgd_6e.py',
    '../_base_/default_runtime.py',
]

data_preprocessor = dict(
    mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375], to_rgb=True)
model = dict(
    teacher=dict(backbone=dict(depth=44, shortcut='A', stem_norm=True)),
    teacher_checkpoint='checkpoints/resnet44_akamaster.pth')

# the connector is not a classifier: nothing to validate or test
val_dataloader = val_cfg = val_evaluator = None
test_dataloader = test_cfg = test_evaluator = None
