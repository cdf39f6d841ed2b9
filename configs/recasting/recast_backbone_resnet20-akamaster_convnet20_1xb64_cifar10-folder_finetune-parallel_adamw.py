# The teacher-fed fine-tune with decoupled weight decay (AdamW, lr 1e-3,
# weight decay 0.05) instead of Adam without any: the KD-from-scratch
# control, which came out ahead at 45 minutes, trains with weight decay
# (configs/recasting/logs/budget/README.md).
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_finetune-parallel.py']

optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='AdamW', lr=1e-3, weight_decay=0.05))
