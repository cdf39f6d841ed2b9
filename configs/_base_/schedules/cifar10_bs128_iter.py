# Iteration-based CIFAR schedule for budgeted runs: SGD 0.1 Nesterov,
# cosine decay over max_iters, validation every 500 iters. Leaf configs set
# default_hooks.checkpoint.by_epoch=False and log_processor.by_epoch=False.
optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4))
param_scheduler = dict(
    type='CosineAnnealingLR', by_epoch=False, T_max=5000, eta_min=0.)

train_cfg = dict(by_epoch=False, max_iters=5000, val_interval=500)
val_cfg = dict()
test_cfg = dict()

auto_scale_lr = dict(base_batch_size=128)
