# The ResNet-44 chained fine-tune with the SGD warm-up recipe of
# ResNet-20's ..._finetune-parallel_sgd-warmup_bf16.py: SGD (Nesterov,
# weight decay 5e-4) at 0.01 after a linear warm-up over the first 5 %, then
# cosine, in bfloat16 autocast. On ResNet-20 it fitted the teacher's logits
# better than Adam 1e-3 at 45 minutes
# (configs/recasting/logs/budget/README.md).
_base_ = ['./recast_backbone_resnet44-akamaster_convnet44_1xb64_'
          'cifar10-folder_finetune-chained.py']

optim_wrapper = dict(
    type='AutocastOptimWrapper',
    dtype='bfloat16',
    optimizer=dict(
        _delete_=True,
        type='SGD',
        lr=0.01,
        momentum=0.9,
        nesterov=True,
        weight_decay=5e-4))
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
