# KD from scratch on the ResNet-44 teacher, the control of
# ..._resnet44-..._finetune-parallel.py and ..._finetune-chained.py at equal
# wall time: the ResNet-20 control (..._resnet20-..._kd-scratch.py: random
# weights, the fine-tune's loss, SGD 0.05 Nesterov, cosine) with the deeper
# teacher and its ConvNet-44 student.
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_kd-scratch.py']

model = dict(
    teacher=dict(backbone=dict(depth=44)),
    teacher_checkpoint='checkpoints/resnet44_akamaster.pth')
