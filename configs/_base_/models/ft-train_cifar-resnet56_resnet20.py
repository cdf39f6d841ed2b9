# Factor Transfer stage 2, CIFAR ResNet-56 -> ResNet-20: translator
# (64 -> 32 x 8 x 8, BN) on the student's last stage, CE + beta * L_FT with
# beta = 500, p = 1; the stage-1 paraphraser (frozen) gives the teacher
# factor. Leaf configs set init_from (the stage-1 checkpoint).
_base_ = ['./cifar-resnet56.py']

teacher = {{_base_.model}}
student = dict(
    type='ImageClassifier',
    _scope_='mmpretrain',
    backbone=dict(type='mmrecast.CifarResNet', depth=20, shortcut='B'),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))
model = dict(
    _delete_=True,
    type='SingleTeacherDistill',
    student=student,
    teacher=teacher,
    teacher_checkpoint='checkpoints/resnet56_cifar10.pth',
    teacher_recorders=dict(feat='backbone.layer3'),
    student_recorders=dict(feat='backbone.layer3'),
    connectors=dict(
        paraphraser=dict(
            type='Paraphraser', in_channels=64, rate=0.5, phase='train'),
        translator=dict(
            type='Translator', in_channels=64, out_channels=32,
            use_bn=True)),
    distill_losses=dict(
        loss_ft=dict(
            type='FTLoss',
            p=1,
            loss_weight=500.0,
            student=dict(record='feat', connector='translator'),
            teacher=dict(record='feat', connector='paraphraser'))))
