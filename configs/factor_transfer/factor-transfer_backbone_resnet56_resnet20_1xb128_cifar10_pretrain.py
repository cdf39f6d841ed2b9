# Factor Transfer, stage 1 (connector pre-training), the official pair
# CIFAR-10 ResNet-56 -> ResNet-20. No labels, no student; 6 epochs, L1.
#
# Teacher weights: train configs/resnet_cifar/resnet56_1xb128_cifar10.py and
# put (or link) the checkpoint at checkpoints/resnet56_cifar10.pth, or pass
# --cfg-options model.teacher_checkpoint=PATH.
_base_ = [
    '../_base_/models/ft-pretrain_cifar-resnet56.py',
    '../_base_/datasets/cifar10_bs128.py',
    '../_base_/schedules/ft-pretrain_sgd_6e.py',
    '../_base_/default_runtime.py',
]

# the connector is not a classifier: nothing to validate or test
val_dataloader = val_cfg = val_evaluator = None
test_dataloader = test_cfg = test_evaluator = None
