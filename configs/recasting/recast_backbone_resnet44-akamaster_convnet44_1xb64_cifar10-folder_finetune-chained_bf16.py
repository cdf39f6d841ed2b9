# The ResNet-44 fine-tune after student-fed (chained) recasting, with
# bfloat16 autocast forwards (AutocastOptimWrapper), for CPUs with bfloat16
# units: ..._finetune-chained.py as ..._finetune-parallel_bf16.py.
_base_ = ['./recast_backbone_resnet44-akamaster_convnet44_1xb64_'
          'cifar10-folder_finetune-chained.py']

optim_wrapper = dict(type='AutocastOptimWrapper', dtype='bfloat16')
