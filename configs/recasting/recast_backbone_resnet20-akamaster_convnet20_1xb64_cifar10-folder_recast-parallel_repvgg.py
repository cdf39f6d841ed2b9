# Teacher-fed recasting into RepVGG blocks (mmpretrain's RepVGGBlock: a 3x3
# and a 1x1 Conv-BN and a BN'd identity, summed, then ReLU): the student
# trains with a residual path and deploys as the plain ConvNet-20, each
# block merged into one 3x3 conv by the exporters.
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_recast-parallel.py']

model = dict(plan=dict(steps=[
    dict(blocks='backbone.layer*.*', recaster=dict(type='BasicBlockToRepVGG'))
]))
