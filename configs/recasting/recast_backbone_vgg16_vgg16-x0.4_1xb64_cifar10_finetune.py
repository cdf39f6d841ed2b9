# Network Recasting, fine-tune stage (reference): the recast student (the
# teacher's architecture + the plan, weights from the recast stage's work
# dir) trains with MSE(student logits, teacher logits) + CE, 1:1, all
# parameters, Adam 1e-3, StepLR 20 epochs, 100 epochs.
_base_ = ['./recast_backbone_vgg16_vgg16-x0.4_1xb64_cifar10_recast.py']

model = dict(
    _delete_=True,
    type='SingleTeacherDistill',
    student=dict(
        type='mmrecast.RecastedClassifier',
        architecture={{_base_.model.teacher}},
        plan={{_base_.model.plan}}),
    teacher={{_base_.model.teacher}},
    teacher_checkpoint={{_base_.model.teacher_checkpoint}},
    distill_losses=dict(
        loss_logits=dict(type='MSELoss', student='logits',
                         teacher='logits')),
    init_from=[
        dict(
            module='student',
            checkpoint='work_dirs/recast_backbone_vgg16_vgg16-x0.4_1xb64_cifar10_recast',
            prefix='student.')
    ])

optim_wrapper = dict(
    _delete_=True,
    optimizer=dict(type='Adam', lr=1e-3, weight_decay=0, fused=True))
param_scheduler = dict(
    _delete_=True, type='StepLR', by_epoch=True, step_size=20, gamma=0.1)
train_cfg = dict(_delete_=True, by_epoch=True, max_epochs=100, val_interval=1)
custom_hooks = []
default_hooks = dict(checkpoint=dict(by_epoch=True, interval=1))
log_processor = dict(by_epoch=True)
