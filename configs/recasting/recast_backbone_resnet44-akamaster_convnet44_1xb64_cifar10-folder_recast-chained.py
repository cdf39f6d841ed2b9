# Student-fed (chained) recasting of the akamaster ResNet-44 into a plain
# ConvNet-44: the 21 targets of ..._recast-parallel.py, each trained on the
# student's own input to its block, so their errors stop compounding.
_base_ = ['./recast_backbone_resnet44-akamaster_convnet44_1xb64_'
          'cifar10-folder_recast-parallel.py']

model = dict(mode='chained')
