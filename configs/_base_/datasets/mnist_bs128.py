# MNIST, official idx files in data/mnist (downloaded when missing).
dataset_type = 'MNIST'
data_preprocessor = dict(
    num_classes=10, mean=[33.46], std=[78.87], to_rgb=False)

pipeline = [dict(type='PackInputs')]

train_dataloader = dict(
    batch_size=128,
    num_workers=2,
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type=dataset_type,
        _scope_='mmpretrain',
        data_root='data/mnist',
        split='train',
        pipeline=pipeline),
    sampler=dict(type='DefaultSampler', shuffle=True),
)
val_dataloader = dict(
    batch_size=128,
    num_workers=2,
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type=dataset_type,
        _scope_='mmpretrain',
        data_root='data/mnist',
        split='test',
        # mmpretrain 1.2.0's MNIST picks its files by test_mode, not split:
        # without it, the "test" set would be the 60k training images
        test_mode=True,
        pipeline=pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
val_evaluator = dict(type='Accuracy', topk=(1, ), _scope_='mmpretrain')

test_dataloader = val_dataloader
test_evaluator = val_evaluator
