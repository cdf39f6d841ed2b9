# Soft-target KD from scratch (Hinton et al.: KL at temperature 4, plus CE),
# the second from-scratch control of configs/recasting/logs/budget/README.md.
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_kd-scratch.py']

model = dict(
    distill_losses=dict(
        loss_kd=dict(type='KDLoss', tau=4, student='logits',
                     teacher='logits')))
