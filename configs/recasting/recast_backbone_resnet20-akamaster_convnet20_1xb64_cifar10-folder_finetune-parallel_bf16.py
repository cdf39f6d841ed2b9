# The teacher-fed fine-tune with its forward passes in bfloat16 autocast
# (AutocastOptimWrapper): about 1.5x faster steps on a CPU with bfloat16
# units; weights, optimizer state and the exported student stay float32.
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_finetune-parallel.py']

optim_wrapper = dict(type='AutocastOptimWrapper', dtype='bfloat16')
