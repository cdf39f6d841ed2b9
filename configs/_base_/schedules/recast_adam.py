# Recasting stage of the reference: a fresh Adam (lr 1e-3, no weight decay)
# and StepLR (x0.1) per block, batch 64. The reference trains 60 epochs per
# block with a step every 20; leaf configs set iters_per_stage (or
# epochs_per_stage) and step_size in iterations.
optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-3, weight_decay=0))
param_scheduler = dict(
    type='StepLR', by_epoch=False, step_size=100000, gamma=0.1)
train_cfg = dict(type='RecastLoop', epochs_per_stage=60)
val_cfg = dict()
test_cfg = dict()
