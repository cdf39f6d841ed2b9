# KD from scratch on the ResNet-44 teacher with bfloat16 autocast forwards:
# the control of ..._resnet44-..._finetune-parallel_bf16.py at equal wall
# time (..._kd-scratch.py in bfloat16).
_base_ = ['./recast_backbone_resnet44-akamaster_convnet44_1xb64_'
          'cifar10-folder_kd-scratch.py']

optim_wrapper = dict(type='AutocastOptimWrapper', dtype='bfloat16')
