# Fine-tune stage of recasting (the reference's final step) on the distill
# stage: the recast ConvNet-20 (rebuilt from the teacher's architecture +
# the plan, weights from the recast run) trains with MSE(student logits,
# teacher logits) + CE, 1:1, all parameters, Adam 1e-3. Budgeted for a CPU:
# 1500 iterations (the reference: 100 epochs, StepLR 20).
_base_ = [
    './recast_backbone_resnet20-akamaster_convnet20_1xb64_cifar10-folder_'
    'recast.py'
]

model = dict(
    type='RecastFinetune',
    init_from=[
        dict(
            module='student',
            checkpoint='work_dirs/recast_backbone_resnet20-akamaster_'
            'convnet20_1xb64_cifar10-folder_recast',
            prefix='student.')
    ])

param_scheduler = dict(
    _delete_=True, type='StepLR', by_epoch=False, step_size=1000, gamma=0.1)
train_cfg = dict(
    _delete_=True, by_epoch=False, max_iters=1500, val_interval=500)
default_hooks = dict(checkpoint=dict(interval=500))
custom_hooks = [dict(type='ChannelsLastHook')]
