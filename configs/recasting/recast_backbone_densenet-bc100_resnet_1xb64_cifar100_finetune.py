# Network Recasting, fine-tune stage (reference): the recast student (the
# teacher's architecture + the plan, weights from the recast stage's work
# dir) trains with MSE(student logits, teacher logits) + CE, 1:1, all
# parameters; Adam and StepLR as in the recast stage, 100 epochs.
_base_ = ['./recast_backbone_densenet-bc100_resnet_1xb64_cifar100_recast.py']

model = dict(
    type='RecastFinetune',
    init_from=[
        dict(
            module='student',
            checkpoint='work_dirs/recast_backbone_densenet-bc100_resnet_1xb64_'
            'cifar100_recast',
            prefix='student.')
    ])

train_cfg = dict(_delete_=True, by_epoch=True, max_epochs=100, val_interval=1)
custom_hooks = []
