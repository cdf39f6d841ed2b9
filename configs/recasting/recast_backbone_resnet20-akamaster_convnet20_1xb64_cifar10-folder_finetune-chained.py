# Fine-tune after student-fed (chained) recasting: the teacher-fed recipe
# (..._finetune-parallel.py), starting from ..._recast-chained.py.
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_finetune-parallel.py']

model = dict(
    mode='chained',
    init_from=[
        dict(
            module='student',
            checkpoint='work_dirs/recast_backbone_resnet20-akamaster_'
            'convnet20_1xb64_cifar10-folder_recast-chained',
            prefix='student.')
    ])
