# Network Recasting on local data: the pre-trained akamaster ResNet-20
# (converted to checkpoints/resnet20_akamaster.pth with
# tools/model_converters/akamaster_resnet_to_mmrecast.py) becomes a plain
# ConvNet-20, block by block (9 BasicBlocks -> Conv-BN-ReLU), on the CIFAR-10
# image folder in data/cifar10. Budgeted for a CPU: 1000 iterations per
# block (the reference: 60 epochs), Adam 1e-3, step x0.1 after 2/3.
_base_ = [
    '../_base_/datasets/cifar10-folder_bs128.py',
    '../_base_/schedules/recast_adam.py',
    '../_base_/default_runtime.py',
]

teacher = dict(
    type='ImageClassifier',
    _scope_='mmpretrain',
    backbone=dict(
        type='mmrecast.CifarResNet', depth=20, shortcut='A', stem_norm=True),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss'),
        topk=(1, 5)))
plan = dict(steps=[
    dict(blocks='backbone.layer*.*', recaster=dict(type='BasicBlockToConv'))
])
model = dict(
    type='BlockRecast',
    teacher=teacher,
    teacher_checkpoint='checkpoints/resnet20_akamaster.pth',
    plan=plan,
    mode='sequential')

data_preprocessor = dict(
    mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375], to_rgb=True)
# InfiniteSampler never ends an epoch, where mmengine's iteration-based loop
# would pause 2 s (about 5 % of a ResNet-20 fine-tune on two cores)
train_dataloader = dict(
    batch_size=64, sampler=dict(type='InfiniteSampler', shuffle=True))
param_scheduler = dict(step_size=667)
train_cfg = dict(_delete_=True, type='RecastLoop', iters_per_stage=1000)

# channels-last batches: 1.1-1.2x faster CPU steps, same results
# (tools/benchmarks/train_step.py --compare channels-last)
custom_hooks = [
    dict(type='RecastProgressHook'),
    dict(type='ChannelsLastHook')
]
default_hooks = dict(
    logger=dict(interval=50),
    # the loop saves stage_<k>.pth after every stage; these are for resume
    checkpoint=dict(by_epoch=False, interval=500, max_keep_ckpts=2))
log_processor = dict(by_epoch=False)
