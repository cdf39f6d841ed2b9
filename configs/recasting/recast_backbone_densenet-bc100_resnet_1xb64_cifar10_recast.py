# Network Recasting, recast stage (reference hyperparameters).
# DenseNet-BC-100 -> ResNet: each 16-layer dense block becomes one
# BasicBlock with a projection shortcut; transitions are only re-initialised
# (as the next block). Reference: 95.20 -> 94.86 -> 95.03 (best 95.12).
# Teacher weights: train configs/ with the teacher's config, or pass
# --cfg-options model.teacher_checkpoint=PATH.
_base_ = [
    '../_base_/datasets/cifar10_bs128.py',
    '../_base_/schedules/recast-ref_adam_60e.py',
    '../_base_/default_runtime.py',
    '../_base_/models/densenet-bc100.py',
]

teacher = {{_base_.model}}
model = dict(
    _delete_=True,
    type='BlockRecast',
    teacher=teacher,
    teacher_checkpoint='checkpoints/densenet-bc100_cifar10.pth',
    plan=dict(steps=[
        dict(
            blocks='backbone.stage*.0',
            recaster=dict(type='DenseBlockToBasicBlock'))
    ]),
    mode='sequential')

train_dataloader = dict(batch_size=64)
default_hooks = dict(checkpoint=dict(by_epoch=False, interval=2000))
