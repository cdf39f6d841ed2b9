# SGD 0.1 momentum 0.9 wd 1e-4, x0.1 at epochs 100 and 150 of 200.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=1e-4))
param_scheduler = dict(
    type='MultiStepLR', by_epoch=True, milestones=[100, 150], gamma=0.1)

train_cfg = dict(by_epoch=True, max_epochs=200, val_interval=1)
val_cfg = dict()
test_cfg = dict()

# lr above is for 1 GPU x 128 images; --auto-scale-lr rescales it.
auto_scale_lr = dict(base_batch_size=128)
