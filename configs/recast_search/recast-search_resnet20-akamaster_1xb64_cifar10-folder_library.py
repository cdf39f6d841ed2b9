# Candidate library for the latency-aware plan search (tools/recast_search.py)
# on the pre-trained akamaster ResNet-20: every BasicBlock gets three
# candidates that keep its interface (a plain Conv-BN-ReLU, the block with
# 1/4 of its inner channels, and no block at all: its shortcut), all trained
# teacher-fed at once from one teacher forward per batch. A 1/50 fold of the
# training images is held out: the search scores the candidates on it, never
# on the test set.
_base_ = ['../recasting/recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_recast-parallel.py']

model = dict(
    _delete_=True,
    type='CandidateLibrary',
    teacher={{_base_.teacher}},
    teacher_checkpoint='checkpoints/resnet20_akamaster.pth',
    input_size=(3, 32, 32),
    candidates=[
        dict(
            blocks='backbone.layer*.*',
            recasters=[
                dict(type='BasicBlockToConv'),
                dict(type='BasicBlockSlim', ratio=0.25),
                dict(type='BlockToShortcut'),
            ])
    ])

heldout = dict(type='KFoldDataset', _scope_='mmpretrain', fold=0,
               num_splits=50, seed=0)
# DefaultSampler as when the logged libraries were trained, so that they
# reproduce (configs/recast_search/README.md); one epoch end, 2 s, is spent
train_dataloader = dict(
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        _delete_=True,
        **heldout,
        dataset={{_base_.train_dataloader.dataset}},
        test_mode=False))
search_dataloader = dict(
    batch_size=250,
    num_workers=2,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        **heldout,
        dataset=dict(
            type='CustomDataset',
            _scope_='mmpretrain',
            data_root='data/cifar10',
            data_prefix='train',
            metainfo=dict(classes={{_base_.cifar10_classes}}),
            pipeline={{_base_.test_pipeline}}),
        test_mode=True))
search_cfg = dict(
    recast_config='../recasting/recast_backbone_resnet20-akamaster_'
    'convnet20_1xb64_cifar10-folder_recast-parallel.py',
    finetune_config='../recasting/recast_backbone_resnet20-akamaster_'
    'convnet20_1xb64_cifar10-folder_finetune-parallel.py')

# one teacher-fed pass of the same length as the recast-parallel config's
optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-3, weight_decay=0))
param_scheduler = dict(
    _delete_=True, type='StepLR', by_epoch=False, step_size=667, gamma=0.1)
train_cfg = dict(_delete_=True, type='IterBasedTrainLoop', max_iters=1000)
val_dataloader = None
val_cfg = None
val_evaluator = None
custom_hooks = []
default_hooks = dict(
    checkpoint=dict(by_epoch=False, interval=500, max_keep_ckpts=2))
