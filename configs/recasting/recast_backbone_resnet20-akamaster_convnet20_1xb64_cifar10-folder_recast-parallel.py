# Teacher-fed (parallel) recasting, beyond the paper: all 9 targets train at
# once, each on the teacher's own input activation of its block, from one
# teacher forward per batch; 1000 iterations in all. The fine-tune stage
# (..._finetune-parallel.py) then refines the whole student end to end.
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_recast.py']

model = dict(mode='parallel')
train_cfg = dict(iters_per_stage=1000)
