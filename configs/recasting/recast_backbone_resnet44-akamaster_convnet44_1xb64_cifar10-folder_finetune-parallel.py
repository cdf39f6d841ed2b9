# Fine-tune after teacher-fed recasting of the akamaster ResNet-44: the
# ResNet-20 recipe (logit MSE + CE, Adam 1e-3, cosine) with the deeper
# teacher, starting from ..._resnet44-akamaster_..._recast-parallel.py.
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_finetune-parallel.py']

model = dict(
    teacher=dict(backbone=dict(depth=44)),
    teacher_checkpoint='checkpoints/resnet44_akamaster.pth',
    init_from=[
        dict(
            module='student',
            checkpoint='work_dirs/recast_backbone_resnet44-akamaster_'
            'convnet44_1xb64_cifar10-folder_recast-parallel',
            prefix='student.')
    ])
