# The ResNet-20 teacher-fed bfloat16 fine-tune with the teacher's logits
# cached per view (model.cache_teacher_logits): the images are flipped, not
# cropped, so each is one of two fixed views and the teacher runs on a view
# only the first time it is drawn (configs/recasting/logs/budget/README.md).
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_finetune-parallel_bf16.py']

model = dict(cache_teacher_logits=True)
# images read in the training process: on two cores loader workers take
# time from the step's threads, and each decodes every image again
# (about 4 % faster steps; configs/recasting/logs/budget/README.md)
train_dataloader = dict(
    collate_fn=dict(padding=0), num_workers=0, persistent_workers=False)
