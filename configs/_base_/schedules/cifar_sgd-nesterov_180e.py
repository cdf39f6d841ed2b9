# The recasting reference's teacher schedule: SGD momentum 0.9 Nesterov,
# lr 0.1, wd 1e-4, x0.2 at epochs 60, 120, 150 of 180; batch 128.
optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4))
param_scheduler = dict(
    type='MultiStepLR', by_epoch=True, milestones=[60, 120, 150], gamma=0.2)

train_cfg = dict(by_epoch=True, max_epochs=180, val_interval=1)
val_cfg = dict()
test_cfg = dict()

auto_scale_lr = dict(base_batch_size=128)
