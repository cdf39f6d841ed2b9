# CIFAR-10, official python version (downloaded to data/cifar10 on first use).
# Normalisation of the recasting reference code (RGB).
dataset_type = 'CIFAR10'
data_preprocessor = dict(
    num_classes=10,
    mean=[125.307, 122.961, 113.8575],
    std=[51.5865, 50.847, 51.255],
    to_rgb=False,  # mmpretrain's CIFAR10 yields RGB arrays already
)

# the random crop (4-pixel zero padding) and horizontal flip are applied
# to the whole batch by the collate function below: the same distribution
# as RandomCrop + RandomFlip here, for a fifth of their CPU time
train_pipeline = [dict(type='PackInputs')]
test_pipeline = [dict(type='PackInputs')]

train_dataloader = dict(
    batch_size=128,
    num_workers=2,
    # keeps each worker's in-memory images (CachedLoadImageFromFile)
    persistent_workers=True,
    # one uint8 batch tensor: the preprocessor then normalises the whole
    # batch in one op instead of image by image (images are all 32x32)
    collate_fn=dict(
        type='mmrecast.crop_flip_collate', padding=4, flip_prob=0.5),
    dataset=dict(
        type=dataset_type,
        _scope_='mmpretrain',
        data_root='data/cifar10',
        split='train',
        pipeline=train_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=True),
)
val_dataloader = dict(
    batch_size=128,
    num_workers=2,
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type=dataset_type,
        _scope_='mmpretrain',
        data_root='data/cifar10',
        split='test',
        pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
val_evaluator = dict(type='Accuracy', topk=(1, 5), _scope_='mmpretrain')

test_dataloader = val_dataloader
test_evaluator = val_evaluator
