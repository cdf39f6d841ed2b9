# Network Recasting, recast stage (reference hyperparameters).
# ResNet-56 -> plain ConvNet-56: the 27 basic blocks become Conv-BN-ReLU
# (stem and FC kept). Reference: teacher 92.97, recast 92.71, fine-tuned
# 92.69 (best 92.91).
# Teacher weights: train configs/ with the teacher's config, or pass
# --cfg-options model.teacher_checkpoint=PATH.
_base_ = [
    '../_base_/datasets/cifar10_bs128.py',
    '../_base_/schedules/recast-ref_adam_60e.py',
    '../_base_/default_runtime.py',
    '../_base_/models/cifar-resnet56.py',
]

teacher = {{_base_.model}}
model = dict(
    _delete_=True,
    type='BlockRecast',
    teacher=teacher,
    teacher_checkpoint='checkpoints/resnet56_cifar10.pth',
    plan=dict(steps=[
        dict(
            blocks='backbone.layer*.*',
            recaster=dict(type='BasicBlockToConv'))
    ]),
    mode='sequential')

train_dataloader = dict(batch_size=64)
default_hooks = dict(checkpoint=dict(by_epoch=False, interval=2000))
