# The block-wise fine-tune without labels: logit and block-output MSE to the
# teacher only (label_loss=False), on unlabeled training images. Follows
# ..._recast-parallel_label-free.py.
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_finetune-blockwise.py']

model = dict(
    label_loss=False,
    init_from=[
        dict(
            module='student',
            checkpoint='work_dirs/recast_backbone_resnet20-akamaster_'
            'convnet20_1xb64_cifar10-folder_recast-parallel_label-free',
            prefix='student.')
    ])
train_dataloader = dict(dataset=dict(with_label=False))
