# Main-job demo, stage 3: connector pre-training (Factor Transfer). A
# paraphraser (rate 0.5: 64 -> 32 factor channels) learns to reconstruct
# the teacher's last-stage feature (backbone.layer3, 64 x 7 x 7), L1 loss,
# 300 iterations. Only the paraphraser trains; the teacher runs frozen and
# stops at layer3; no student is built.
_base_ = [
    '../_base_/datasets/mnist_bs128.py',
    '../_base_/default_runtime.py',
    '../_base_/models/resnet14_mnist.py',
]

teacher = {{_base_.model}}
model = dict(
    _delete_=True,
    type='ConnectorPretrain',
    teacher=teacher,
    teacher_checkpoint='work_dirs/demo_resnet14_1xb128_mnist',
    teacher_recorders=dict(feat='backbone.layer3'),
    connectors=dict(
        paraphraser=dict(
            type='Paraphraser', in_channels=64, rate=0.5, phase='pretrain')),
    losses=dict(
        loss_rec=dict(
            type='ReconstructionLoss',
            mode='l1',
            connector='paraphraser',
            record='feat')))

optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4, fused=True))
param_scheduler = dict(
    type='CosineAnnealingLR', by_epoch=False, T_max=300, eta_min=0.)
train_cfg = dict(by_epoch=False, max_iters=300)
default_hooks = dict(
    checkpoint=dict(by_epoch=False, interval=150, max_keep_ckpts=1))
log_processor = dict(by_epoch=False)
randomness = dict(seed=0)

# the connector is not a classifier: nothing to validate or test
val_dataloader = val_cfg = val_evaluator = None
test_dataloader = test_cfg = test_evaluator = None
