# Network Recasting, recast stage (reference hyperparameters).
# ResNet-83 (bottlenecks) -> ConvNet: each bottleneck becomes one
# Conv3x3-BN-ReLU at its mid width. Reference: 93.18 -> 92.30 -> 92.51
# (best 92.83).
# Teacher weights: train configs/ with the teacher's config, or pass
# --cfg-options model.teacher_checkpoint=PATH.
_base_ = [
    '../_base_/datasets/cifar10_bs128.py',
    '../_base_/schedules/recast-ref_adam_60e.py',
    '../_base_/default_runtime.py',
    '../_base_/models/cifar-resnet83.py',
]

teacher = {{_base_.model}}
model = dict(
    _delete_=True,
    type='BlockRecast',
    teacher=teacher,
    teacher_checkpoint='checkpoints/resnet83_cifar10.pth',
    plan=dict(steps=[
        dict(
            blocks='backbone.layer*.*',
            recaster=dict(type='BottleneckToConv'))
    ]),
    mode='sequential')

train_dataloader = dict(batch_size=64)
default_hooks = dict(checkpoint=dict(by_epoch=False, interval=2000))
