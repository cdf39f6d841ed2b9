# The 15-minute recipe's fine-tune on the RepVGG student of
# ..._recast-parallel_repvgg.py (deployed: the plain ConvNet-20).
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_finetune-parallel_sgd-warmup_bf16_cached-teacher.py']

model = dict(
    plan=dict(steps=[
        dict(
            blocks='backbone.layer*.*',
            recaster=dict(type='BasicBlockToRepVGG'))
    ]),
    init_from=[
        dict(
            module='student',
            checkpoint='work_dirs/recast_backbone_resnet20-akamaster_'
            'convnet20_1xb64_cifar10-folder_recast-parallel_repvgg',
            prefix='student.')
    ])
