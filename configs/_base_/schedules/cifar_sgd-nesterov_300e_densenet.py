# DenseNet teacher schedule of the recasting reference: SGD Nesterov 0.9,
# lr 0.1, wd 1e-4, steps at epochs 150 and 225 of 300, batch 64. The factor
# follows the reference's other teachers (x0.2).
optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4))
param_scheduler = dict(
    type='MultiStepLR', by_epoch=True, milestones=[150, 225], gamma=0.2)

train_cfg = dict(by_epoch=True, max_epochs=300, val_interval=1)
val_cfg = dict()
test_cfg = dict()

auto_scale_lr = dict(base_batch_size=64)
