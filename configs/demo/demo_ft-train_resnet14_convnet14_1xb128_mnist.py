# Main-job demo, stage 4: the distill stage, with Factor Transfer. The
# recast ConvNet-14 (rebuilt from the teacher's architecture + the recast
# plan; weights from the recast run) trains with CE + 500 x FT loss: a
# translator (64 -> 32, BN) on its layer3 feature against the frozen,
# pre-trained paraphraser's factor of the teacher's layer3 feature.
# SGD 0.01, cosine, 400 iterations.
_base_ = ['./demo_recast_resnet14_convnet14_1xb64_mnist.py']

model = dict(
    type='RecastFinetune',
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
            teacher=dict(record='feat', connector='paraphraser'))),
    # explicit hand-over: the recast student and the pre-trained paraphraser
    init_from=[
        dict(
            module='student',
            checkpoint='work_dirs/demo_recast_resnet14_convnet14_1xb64_mnist',
            prefix='student.'),
        dict(
            module='connectors.paraphraser',
            checkpoint='work_dirs/demo_ft-pretrain_resnet14_1xb128_mnist',
            prefix='connectors.paraphraser.'),
    ])

train_dataloader = dict(batch_size=128)
optim_wrapper = dict(
    _delete_=True,
    optimizer=dict(
        type='SGD', lr=0.01, momentum=0.9, weight_decay=5e-4, fused=True))
param_scheduler = dict(
    _delete_=True,
    type='CosineAnnealingLR',
    by_epoch=False,
    T_max=400,
    eta_min=0.)
train_cfg = dict(
    _delete_=True, by_epoch=False, max_iters=400, val_interval=400)
default_hooks = dict(checkpoint=dict(interval=200))
custom_hooks = []
