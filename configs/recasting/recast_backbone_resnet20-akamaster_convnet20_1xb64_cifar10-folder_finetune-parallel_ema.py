# The teacher-fed fine-tune with an exponential moving average of the
# weights (mmengine's EMAHook, BN statistics averaged too): checkpoints,
# and so the exported student, hold the averaged weights. Momentum 0.002
# averages over about the last 500 iterations, a tenth of the 15-minute
# run's fine-tune. A #15 screen (configs/recasting/logs/budget/README.md).
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_finetune-parallel.py']

custom_hooks = [
    dict(
        type='EMAHook',
        momentum=0.002,
        update_buffers=True,
        priority='ABOVE_NORMAL'),
    dict(type='ChannelsLastHook')
]
