# The SGD warm-up fine-tune (the 45-minute recipe) with the teacher's logits
# cached per view, flips only, and the images read in the training process,
# as the Adam cached fine-tune (configs/recasting/README.md).
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_finetune-parallel_sgd-warmup_bf16.py']

model = dict(cache_teacher_logits=True)
train_dataloader = dict(
    collate_fn=dict(padding=0), num_workers=0, persistent_workers=False)
