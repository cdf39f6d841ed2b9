# Network Recasting on ImageNet, fine-tune stage (reference): logit MSE + CE,
# all parameters, Adam 1e-4, step x0.1 at epoch 7, 20 epochs.
_base_ = ['./recast_backbone_densenet121_densenet121-mixed_8xb32_'
          'imagenet_recast.py']

model = dict(
    type='RecastFinetune',
    init_from=[
        dict(
            module='student',
            checkpoint='work_dirs/recast_backbone_densenet121_densenet121-'
            'mixed_8xb32_imagenet_recast',
            prefix='student.')
    ])

optim_wrapper = dict(optimizer=dict(lr=1e-4))
train_cfg = dict(_delete_=True, by_epoch=True, max_epochs=20, val_interval=1)
custom_hooks = []
