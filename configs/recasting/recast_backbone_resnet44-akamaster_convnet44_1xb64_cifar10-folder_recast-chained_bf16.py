# Student-fed (chained) recasting of ResNet-44 with the forward passes in
# bfloat16 autocast (AutocastOptimWrapper), for CPUs with bfloat16 units:
# ..._recast-chained.py with faster steps; the block losses, the weights
# and Adam's state stay float32.
_base_ = ['./recast_backbone_resnet44-akamaster_convnet44_1xb64_'
          'cifar10-folder_recast-chained.py']

optim_wrapper = dict(type='AutocastOptimWrapper', dtype='bfloat16')
