# The recasting reference, recast stage: per block a fresh Adam (lr 1e-3, no
# weight decay) and StepLR x0.1 every 20 epochs, 60 epochs per block,
# batch 64 (CIFAR). Fused Adam: one kernel per update. RecastLoop counts
# iterations, so logs do too; RecastProgressHook reports each stage.
optim_wrapper = dict(
    optimizer=dict(type='Adam', lr=1e-3, weight_decay=0, fused=True))
param_scheduler = dict(
    type='StepLR',
    by_epoch=True,
    step_size=20,
    gamma=0.1,
    convert_to_iter_based=True)
train_cfg = dict(type='RecastLoop', epochs_per_stage=60)
val_cfg = dict()
test_cfg = dict()
custom_hooks = [dict(type='RecastProgressHook')]
log_processor = dict(by_epoch=False)
