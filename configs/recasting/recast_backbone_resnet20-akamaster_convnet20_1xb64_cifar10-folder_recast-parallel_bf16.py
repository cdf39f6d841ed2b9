# Teacher-fed recasting with the forward passes in bfloat16 autocast
# (AutocastOptimWrapper), for CPUs with bfloat16 units: ..._recast-parallel.py
# with faster steps; the block losses, the weights and Adam's state stay
# float32.
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_recast-parallel.py']

optim_wrapper = dict(type='AutocastOptimWrapper', dtype='bfloat16')
