# Fine-tune of the layer-dropped ViT: the student from the recast run,
# MSE to the teacher's logits plus cross-entropy, 1000 iterations, AdamW
# 2e-4, cosine.
_base_ = ['./vit-tiny-p7_drop-1-3_1xb128_mnist_recast.py']
model = dict(
    type='RecastFinetune',
    init_from=[dict(module='student',
                    checkpoint='work_dirs/vit-tiny-p7_drop-1-3_1xb128_'
                    'mnist_recast',
                    prefix='student.')])
optim_wrapper = dict(
    _delete_=True,
    optimizer=dict(type='AdamW', lr=2e-4, weight_decay=0.05))
param_scheduler = dict(
    _delete_=True, type='CosineAnnealingLR', by_epoch=False, T_max=1000)
train_cfg = dict(_delete_=True, by_epoch=False, max_iters=1000,
                 val_interval=1000)
val_cfg = dict()
test_cfg = dict()
custom_hooks = []
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(interval=500))
