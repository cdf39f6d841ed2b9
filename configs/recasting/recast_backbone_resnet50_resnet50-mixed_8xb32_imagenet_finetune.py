# Network Recasting on ImageNet, fine-tune stage (reference): logit MSE + CE,
# all parameters, Adam 1e-4, step x0.1 at epoch 7, 20 epochs.
_base_ = ['./recast_backbone_resnet50_resnet50-mixed_8xb32_imagenet_recast.py']

model = dict(
    _delete_=True,
    type='SingleTeacherDistill',
    student=dict(
        type='mmrecast.RecastedClassifier',
        architecture={{_base_.model.teacher}},
        plan={{_base_.model.plan}}),
    teacher={{_base_.model.teacher}},
    distill_losses=dict(
        loss_logits=dict(type='MSELoss', student='logits',
                         teacher='logits')),
    init_from=[
        dict(
            module='student',
            checkpoint='work_dirs/recast_backbone_resnet50_resnet50-mixed_'
            '8xb32_imagenet_recast',
            prefix='student.')
    ])

optim_wrapper = dict(
    _delete_=True,
    optimizer=dict(type='Adam', lr=1e-4, weight_decay=0, fused=True))
param_scheduler = dict(
    _delete_=True, type='StepLR', by_epoch=True, step_size=7, gamma=0.1)
train_cfg = dict(_delete_=True, by_epoch=True, max_epochs=20, val_interval=1)
custom_hooks = []
default_hooks = dict(checkpoint=dict(by_epoch=True, interval=1))
log_processor = dict(by_epoch=True)
