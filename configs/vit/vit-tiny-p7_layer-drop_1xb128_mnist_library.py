# Layer-drop search: each of the ViT teacher's four encoder layers is kept
# or dropped (BlockToShortcut), chosen by tools/recast_search.py for a
# latency budget. Removals have nothing to train, so the library is searched
# from the teacher's weights without --checkpoint (no train.py run).
# Candidates are scored on a held-out twelfth of the MNIST training images.
_base_ = ['./vit-tiny-p7_drop-1-3_1xb128_mnist_recast.py']

model = dict(
    _delete_=True,
    type='CandidateLibrary',
    teacher={{_base_.teacher}},
    teacher_checkpoint='work_dirs/vit-tiny-p7_1xb128_mnist',
    input_size=(1, 28, 28),
    sequence=['backbone.layers.*', 'head.layers.head'],
    candidates=[
        dict(blocks='backbone.layers.*',
             recasters=[dict(type='BlockToShortcut')])
    ])

search_dataloader = dict(
    batch_size=250,
    num_workers=2,
    collate_fn=dict(type='default_collate'),
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='KFoldDataset',
        _scope_='mmpretrain',
        fold=0,
        num_splits=12,
        seed=0,
        test_mode=True,
        dataset={{_base_.train_dataloader.dataset}}))
# the plan folders' configs: the layer-drop recast (one iteration builds
# the student) and its fine-tune; the budgets of the README's search
search_cfg = dict(
    recast_config='./vit-tiny-p7_drop-1-3_1xb128_mnist_recast.py',
    finetune_config='./vit-tiny-p7_drop-1-3_1xb128_mnist_finetune.py',
    budgets=['latency=0.7x', 'latency=0.5x'],
    runtime='onnxruntime',
    batch=1)
# the loop of a library (as the ResNet libraries'), not the recast's:
# train.py then refuses this one on its first step, naming the search
train_cfg = dict(_delete_=True, type='IterBasedTrainLoop', max_iters=1)
custom_hooks = []
