# CIFAR-10 as an image folder: data/cifar10/{train,test}/<class>/<n>.png,
# e.g. a local copy linked to data/cifar10. Same preprocessing as the
# official variant; images are decoded as BGR, so to_rgb=True.
_base_ = ['./cifar10_bs128.py']

dataset_type = 'CustomDataset'
cifar10_classes = ('airplane', 'automobile', 'bird', 'cat', 'deer', 'dog',
                   'frog', 'horse', 'ship', 'truck')
data_preprocessor = dict(to_rgb=True)

# each PNG is decoded once per loader worker (150 MiB for the 50,000);
# crop and flip are done on the batch (see ./cifar10_bs128.py)
train_pipeline = [
    dict(type='mmrecast.CachedLoadImageFromFile'),
    dict(type='PackInputs')
]
test_pipeline = [dict(type='LoadImageFromFile'), dict(type='PackInputs')]

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        _scope_='mmpretrain',
        data_root='data/cifar10',
        data_prefix='train',
        metainfo=dict(classes=cifar10_classes),
        pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        _scope_='mmpretrain',
        data_root='data/cifar10',
        data_prefix='test',
        metainfo=dict(classes=cifar10_classes),
        pipeline=test_pipeline))
test_dataloader = val_dataloader
