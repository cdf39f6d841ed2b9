# KD from scratch with bfloat16 autocast forwards: the control of
# ..._finetune-parallel_bf16.py at equal wall time.
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_kd-scratch.py']

optim_wrapper = dict(type='AutocastOptimWrapper', dtype='bfloat16')
