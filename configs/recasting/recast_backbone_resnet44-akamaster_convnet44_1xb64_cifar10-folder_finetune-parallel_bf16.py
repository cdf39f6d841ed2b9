# The ResNet-44 teacher-fed fine-tune with bfloat16 autocast forwards
# (AutocastOptimWrapper), as ..._resnet20-..._finetune-parallel_bf16.py.
_base_ = ['./recast_backbone_resnet44-akamaster_convnet44_1xb64_'
          'cifar10-folder_finetune-parallel.py']

optim_wrapper = dict(type='AutocastOptimWrapper', dtype='bfloat16')
