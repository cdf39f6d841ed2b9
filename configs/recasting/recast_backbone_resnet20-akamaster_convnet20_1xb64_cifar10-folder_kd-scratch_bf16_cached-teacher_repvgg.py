# KD from scratch of the RepVGG student (deployed: the plain ConvNet-20) on
# the cached pipeline: the control of the RepVGG recipe at equal wall time.
_base_ = ['./recast_backbone_resnet20-akamaster_convnet20_1xb64_'
          'cifar10-folder_kd-scratch_bf16_cached-teacher.py']

model = dict(plan=dict(steps=[
    dict(blocks='backbone.layer*.*', recaster=dict(type='BasicBlockToRepVGG'))
]))
