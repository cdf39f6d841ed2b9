# Network Recasting, recast stage (reference hyperparameters).
# VGG-16 filter reduction: all 13 convs keep round(0.4 C) filters; the
# classifier's input shrinks. Reference: 93.01 -> 90.30 -> 91.75 (best
# 91.86).
# Teacher weights: train configs/ with the teacher's config, or pass
# --cfg-options model.teacher_checkpoint=PATH.
_base_ = [
    '../_base_/datasets/cifar10_bs128.py',
    '../_base_/schedules/recast-ref_adam_60e.py',
    '../_base_/default_runtime.py',
    '../_base_/models/vgg16_cifar.py',
]

teacher = {{_base_.model}}
model = dict(
    _delete_=True,
    type='BlockRecast',
    teacher=teacher,
    teacher_checkpoint='checkpoints/vgg16_cifar10.pth',
    plan=dict(steps=[
        dict(
            blocks=f'backbone.layer{i}.*',
            recaster=dict(type='ConvReduce', ratio=0.4)) for i in range(1, 6)
    ]),
    mode='sequential')

train_dataloader = dict(batch_size=64)
default_hooks = dict(checkpoint=dict(by_epoch=False, interval=2000))
