# Fine-tune after teacher-fed recasting: logit MSE + CE, Adam 1e-3 with
# cosine decay over 5000 iterations (the CPU budget of the 15-minute run;
# see configs/recasting/README.md).
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_finetune.py']

model = dict(
    mode='parallel',
    init_from=[
        dict(
            module='student',
            checkpoint='work_dirs/recast_backbone_resnet20-akamaster_'
            'convnet20_1xb64_cifar10-folder_recast-parallel',
            prefix='student.')
    ])
param_scheduler = dict(
    _delete_=True,
    type='CosineAnnealingLR',
    by_epoch=False,
    T_max=5000,
    eta_min=0.)
train_cfg = dict(max_iters=5000, val_interval=5000)
default_hooks = dict(checkpoint=dict(interval=5000))
