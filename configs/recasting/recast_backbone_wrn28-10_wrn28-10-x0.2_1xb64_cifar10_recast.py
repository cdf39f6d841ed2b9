# Network Recasting, recast stage (reference hyperparameters).
# WRN-28-10 filter reduction: the 12 blocks keep round(0.2 out) filters.
# Reference: 95.67 -> 93.88 -> 94.17 (best 94.22).
# Teacher weights: train configs/ with the teacher's config, or pass
# --cfg-options model.teacher_checkpoint=PATH.
_base_ = [
    '../_base_/datasets/cifar10_bs128.py',
    '../_base_/schedules/recast-ref_adam_60e.py',
    '../_base_/default_runtime.py',
    '../_base_/models/wrn28-10.py',
]

teacher = {{_base_.model}}
model = dict(
    _delete_=True,
    type='BlockRecast',
    teacher=teacher,
    teacher_checkpoint='checkpoints/wrn28-10_cifar10.pth',
    plan=dict(steps=[
        dict(
            blocks='backbone.layer*.*',
            recaster=dict(type='BasicBlockReduce', ratio=0.2))
    ]),
    mode='sequential')

train_dataloader = dict(batch_size=64)
default_hooks = dict(checkpoint=dict(by_epoch=False, interval=2000))
