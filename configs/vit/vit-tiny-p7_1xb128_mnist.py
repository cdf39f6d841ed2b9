# The transformer teacher: a 4-layer ViT
# (../_base_/models/vit-tiny-p7_mnist.py) on MNIST, 3000 iterations
# (batch 128: 6.4 epochs), AdamW 1e-3, cosine.
_base_ = [
    '../_base_/datasets/mnist_bs128.py',
    '../_base_/default_runtime.py',
    '../_base_/models/vit-tiny-p7_mnist.py',
]
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=1e-3, weight_decay=0.05))
param_scheduler = dict(
    type='CosineAnnealingLR', by_epoch=False, T_max=3000, eta_min=0.)
train_cfg = dict(by_epoch=False, max_iters=3000, val_interval=3000)
val_cfg = dict()
test_cfg = dict()
default_hooks = dict(
    checkpoint=dict(by_epoch=False, interval=1000, max_keep_ckpts=1))
log_processor = dict(by_epoch=False)
randomness = dict(seed=0)
