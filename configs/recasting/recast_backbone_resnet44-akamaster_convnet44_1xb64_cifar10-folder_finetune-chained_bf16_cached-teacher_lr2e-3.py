# The ResNet-44 chained bfloat16 fine-tune with the teacher's logits cached
# per view (model.cache_teacher_logits): the images are flipped, not
# cropped, so each is one of two fixed views and the teacher runs on a view
# only the first time it is drawn. Adam at 2e-3 instead of 1e-3. Both from
# a GPU screen at equal iterations (configs/recasting/logs/budget/README.md).
_base_ = ['./recast_backbone_resnet44-akamaster_convnet44_1xb64_'
          'cifar10-folder_finetune-chained_bf16.py']

model = dict(cache_teacher_logits=True)
# images read in the training process, as in the ResNet-20 cached fine-tune
train_dataloader = dict(
    collate_fn=dict(padding=0), num_workers=0, persistent_workers=False)
optim_wrapper = dict(optimizer=dict(lr=2e-3))
