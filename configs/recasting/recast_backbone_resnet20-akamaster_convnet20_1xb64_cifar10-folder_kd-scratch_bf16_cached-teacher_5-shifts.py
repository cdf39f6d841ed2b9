# KD from scratch on the pipeline of ..._cached-teacher_5-shifts.py (the
# teacher's logits cached per view, crops from five fixed shifts): its
# control at equal wall time.
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_kd-scratch_bf16_cached-teacher.py']

train_dataloader = dict(
    collate_fn=dict(
        padding=3, shifts=[(0, 0), (-3, -3), (-3, 3), (3, -3), (3, 3)]))
