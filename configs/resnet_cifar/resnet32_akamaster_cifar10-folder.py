# CIFAR ResNet-32 as published by akamaster/pytorch_resnet_cifar10 (BSD-2):
# option-A shortcuts, conv-BN-ReLU stem, ImageNet mean/std on RGB inputs.
# Weights: convert with
#   python tools/model_converters/akamaster_resnet_to_mmrecast.py \
#       resnet32-*.th checkpoints/resnet32_akamaster.pth
# then: python tools/test.py THIS_CONFIG checkpoints/resnet32_akamaster.pth
_base_ = [
    '../_base_/models/cifar-resnet56.py',
    '../_base_/datasets/cifar10-folder_bs128.py',
    '../_base_/schedules/cifar_sgd-nesterov_180e.py',
    '../_base_/default_runtime.py',
]

model = dict(backbone=dict(depth=32, shortcut='A', stem_norm=True))
data_preprocessor = dict(
    mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375], to_rgb=True)
