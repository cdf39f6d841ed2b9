# KD from scratch on the pipeline of the cached fine-tunes (the teacher's
# logits cached per view, flips only, images read in the training process):
# the control of ..._finetune-parallel_sgd-warmup_bf16_cached-teacher.py at
# equal wall time.
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_kd-scratch_bf16.py']

model = dict(cache_teacher_logits=True)
train_dataloader = dict(
    collate_fn=dict(padding=0), num_workers=0, persistent_workers=False)
