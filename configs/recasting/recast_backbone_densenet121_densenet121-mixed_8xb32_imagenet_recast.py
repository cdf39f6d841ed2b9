# Network Recasting on ImageNet: dense blocks 1 and 2 of torchvision's
# DenseNet-121 become one residual BasicBlock each (in -> out, stride 1,
# projection shortcut); blocks 3 and 4, the transitions and the classifier
# stay (a transition is re-initialised when it is the next block).
# Reference hyperparameters: Adam 5e-4, 10 epochs per block, step x0.1 at
# epoch 7. The teacher is torchvision's DenseNet-121 state dict, e.g. its
# IMAGENET1K_V1 weights saved as checkpoints/densenet121-a639ec97.pth; the
# key map renames that file's old-style layer keys as torchvision does.
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
        module='torchvision.models.densenet121',
        checkpoint='checkpoints/densenet121-a639ec97.pth',
        key_map={
            r'^(.*denselayer\d+\.(?:norm|relu|conv))\.([12]\.\w+)$': r'\1\2'
        }),
    head=dict(
        type='ClsHead', loss=dict(type='CrossEntropyLoss'), topk=(1, 5)))
model = dict(
    type='BlockRecast',
    teacher=teacher,
    # torchvision's dense blocks have no width attributes: one probe
    # forward at the training size measures them
    input_size=(3, 224, 224),
    plan=dict(
        # torchvision's DenseNet is not an mmrecast backbone: list its
        # blocks (the stem layers are in the list but never recast)
        sequence=['backbone.module.features.*', 'backbone.module.classifier'],
        steps=[
            dict(
                blocks='backbone.module.features.denseblock1',
                recaster=dict(type='DenseBlockToBasicBlock')),
            dict(
                blocks='backbone.module.features.denseblock2',
                recaster=dict(type='DenseBlockToBasicBlock')),
        ]),
    mode='sequential')

default_hooks = dict(checkpoint=dict(by_epoch=False, interval=5000))
