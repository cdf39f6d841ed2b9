# The teacher-fed fine-tune on the KD control's SGD (0.05 Nesterov, weight
# decay 5e-4), in bfloat16 autocast, with a linear warm-up over its first 5 %:
# without it that learning rate threw the recast start away (_sgd.py), yet
# at 45 minutes KD from scratch on SGD fitted the teacher's logits better
# than the Adam fine-tune (configs/recasting/README.md).
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_finetune-parallel_sgd.py']

optim_wrapper = dict(type='AutocastOptimWrapper', dtype='bfloat16')
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.01,
        by_epoch=False,
        begin=0,
        end=250),
    dict(
        type='CosineAnnealingLR',
        by_epoch=False,
        begin=250,
        end=5000,
        T_max=4750,
        eta_min=0.)
]
