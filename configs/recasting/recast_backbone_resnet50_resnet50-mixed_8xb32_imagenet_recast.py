# Network Recasting on ImageNet: the first 11 bottlenecks of torchvision's
# ResNet-50 (layer1, layer2, layer3.0-3) become Conv3x3-BN-ReLU at their mid
# width; later blocks and the FC stay (re-initialised only when next).
# Reference hyperparameters: Adam 5e-4, 10 epochs per block, step x0.1 at
# epoch 7. The teacher is any ResNet-50 state dict for torchvision, e.g.
# its IMAGENET1K_V1 weights saved as checkpoints/resnet50-0676ba61.pth.
_base_ = [
    '../_base_/datasets/imagenet_bs32.py',
    '../_base_/schedules/recast-ref_adam_10e_imagenet.py',
    '../_base_/default_runtime.py',
]

teacher = dict(
    type='ImageClassifier',
    _scope_='mmpretrain',
    backbone=dict(
        type='mmrecast.ExternalBackbone',
        module='torchvision.models.resnet50',
        checkpoint='checkpoints/resnet50-0676ba61.pth'),
    head=dict(
        type='ClsHead', loss=dict(type='CrossEntropyLoss'), topk=(1, 5)))
model = dict(
    type='BlockRecast',
    teacher=teacher,
    plan=dict(
        # torchvision's ResNet is not an mmrecast backbone: list its blocks
        sequence=['backbone.module.layer*.*', 'backbone.module.fc'],
        steps=[
            dict(
                blocks='backbone.module.layer1.*',
                recaster=dict(type='BottleneckToConv')),
            dict(
                blocks='backbone.module.layer2.*',
                recaster=dict(type='BottleneckToConv')),
        ] + [
            dict(
                block=f'backbone.module.layer3.{i}',
                recaster=dict(type='BottleneckToConv')) for i in range(4)
        ]),
    mode='sequential')

default_hooks = dict(checkpoint=dict(by_epoch=False, interval=5000))
