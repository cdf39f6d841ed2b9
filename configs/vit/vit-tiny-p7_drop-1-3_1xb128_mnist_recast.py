# Layer dropping: the ViT teacher (vit-tiny-p7_1xb128_mnist.py) without its
# encoder layers 1 and 3 (BlockToShortcut: identities, nothing to train);
# one iteration builds the student and logs the removals' MSE.
_base_ = [
    '../_base_/datasets/mnist_bs128.py',
    '../_base_/schedules/recast_adam.py',
    '../_base_/default_runtime.py',
    '../_base_/models/vit-tiny-p7_mnist.py',
]
teacher = {{_base_.model}}
model = dict(
    _delete_=True,
    type='BlockRecast',
    teacher=teacher,
    teacher_checkpoint='work_dirs/vit-tiny-p7_1xb128_mnist',
    input_size=(1, 28, 28),  # token widths measured
    plan=dict(
        sequence=['backbone.layers.*', 'head.layers.head'],
        steps=[
            dict(blocks=['backbone.layers.1', 'backbone.layers.3'],
                 recaster=dict(type='BlockToShortcut')),
        ]),
    mode='parallel')
train_cfg = dict(_delete_=True, type='RecastLoop', iters_per_stage=1)
custom_hooks = [dict(type='RecastProgressHook')]
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(by_epoch=False, interval=1, max_keep_ckpts=1))
log_processor = dict(by_epoch=False)
randomness = dict(seed=0)
