# Plain ConvNet-20 from scratch on the CIFAR-10 image folder, with the CPU
# budget of the 15-minute recasting run (configs/recasting/README.md): SGD
# 0.1 Nesterov, cosine decay, batch 128. The comparison point for recasting
# at equal compute.
_base_ = [
    '../_base_/models/convnet56.py',
    '../_base_/datasets/cifar10-folder_bs128.py',
    '../_base_/schedules/cifar10_bs128_iter.py',
    '../_base_/default_runtime.py',
]

model = dict(backbone=dict(depth=20))
param_scheduler = dict(T_max=4000)
train_cfg = dict(max_iters=4000, val_interval=4000)
default_hooks = dict(checkpoint=dict(by_epoch=False, interval=4000))
log_processor = dict(by_epoch=False)
# as the recast runs: channels-last batches, and no epoch end (where
# mmengine's iteration-based loop would pause 2 s)
custom_hooks = [dict(type='ChannelsLastHook')]
train_dataloader = dict(sampler=dict(type='InfiniteSampler', shuffle=True))
