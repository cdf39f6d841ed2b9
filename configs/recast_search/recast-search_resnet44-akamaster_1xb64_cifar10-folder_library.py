# The candidate library of the ResNet-20 search on the deeper akamaster
# ResNet-44 (checkpoints/resnet44_akamaster.pth, 93.41 %): the same three
# candidates for each of its 21 BasicBlocks, the same held-out fold and
# schedule; plans are written against the ResNet-44 recast configs.
_base_ = ['./recast-search_resnet20-akamaster_1xb64_cifar10-folder_'
          'library.py']

model = dict(
    teacher=dict(backbone=dict(depth=44)),
    teacher_checkpoint='checkpoints/resnet44_akamaster.pth')
search_cfg = dict(
    recast_config='../recasting/recast_backbone_resnet44-akamaster_'
    'convnet44_1xb64_cifar10-folder_recast-parallel.py',
    finetune_config='../recasting/recast_backbone_resnet44-akamaster_'
    'convnet44_1xb64_cifar10-folder_finetune-parallel.py')
