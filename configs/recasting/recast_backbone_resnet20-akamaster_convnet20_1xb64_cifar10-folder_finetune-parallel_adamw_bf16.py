# The AdamW fine-tune (weight decay 0.05) with its forward passes in
# bfloat16 autocast, for CPUs with bfloat16 units.
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_finetune-parallel_adamw.py']

optim_wrapper = dict(type='AutocastOptimWrapper', dtype='bfloat16')
