# Network Recasting on ImageNet: VGG-16-BN compression. Each of the 13
# conv-BN-ReLU layers of mmpretrain's VGG-16-BN keeps its own fraction of
# the filters (the reference's per-layer ratios); the FCs stay (the first
# one is re-initialised as the next block of the last conv, whose ratio is 1
# so that its input keeps 512 x 7 x 7 features).
# Reference hyperparameters: Adam 5e-4, 10 epochs per block, step x0.1 at
# epoch 7. The teacher is mmpretrain's VGG-16-BN ImageNet checkpoint, saved
# as checkpoints/vgg16_bn_batch256_imagenet_20210208-7e55cd29.pth.
_base_ = [
    '../_base_/datasets/imagenet_bs32.py',
    '../_base_/schedules/recast-ref_adam_10e_imagenet.py',
    '../_base_/default_runtime.py',
]

# positions of the 13 ConvModules in VGG.features (the others are pools)
_conv_indices = [0, 1, 3, 4, 6, 7, 8, 10, 11, 12, 14, 15, 16]
_keep_ratios = [.1, .1, .2, .2, .2, .3, .4, .5, .6, .7, .8, .9, 1]

teacher = dict(
    type='ImageClassifier',
    _scope_='mmpretrain',
    backbone=dict(
        type='VGG', depth=16, norm_cfg=dict(type='BN'), num_classes=1000),
    head=dict(
        type='ClsHead', loss=dict(type='CrossEntropyLoss'), topk=(1, 5)))
model = dict(
    type='BlockRecast',
    teacher=teacher,
    teacher_checkpoint='checkpoints/'
    'vgg16_bn_batch256_imagenet_20210208-7e55cd29.pth',
    plan=dict(
        sequence=[f'backbone.features.{i}' for i in _conv_indices] +
        ['backbone.classifier.0'],
        steps=[
            dict(
                block=f'backbone.features.{i}',
                recaster=dict(type='ConvReduce', ratio=r))
            for i, r in zip(_conv_indices, _keep_ratios)
        ]),
    mode='sequential')

default_hooks = dict(checkpoint=dict(by_epoch=False, interval=5000))
