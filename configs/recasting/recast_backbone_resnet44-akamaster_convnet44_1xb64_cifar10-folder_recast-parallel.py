# Teacher-fed recasting of the pre-trained akamaster ResNet-44 (converted to
# checkpoints/resnet44_akamaster.pth, 93.41 %) into a plain ConvNet-44: the
# ResNet-20 recipe with the deeper teacher (21 BasicBlocks).
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_recast-parallel.py']

model = dict(
    teacher=dict(backbone=dict(depth=44)),
    teacher_checkpoint='checkpoints/resnet44_akamaster.pth')
