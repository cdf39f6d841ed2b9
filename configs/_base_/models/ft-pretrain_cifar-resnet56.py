# Factor Transfer stage 1 on a CIFAR ResNet-56 teacher: a paraphraser
# (rate k = 0.5, no BN) reconstructs the teacher's last-stage output
# (64 x 8 x 8; factor 32 x 8 x 8) with the official L1 loss.
_base_ = ['./cifar-resnet56.py']

teacher = {{_base_.model}}
model = dict(
    _delete_=True,
    type='ConnectorPretrain',
    teacher=teacher,
    teacher_checkpoint='checkpoints/resnet56_cifar10.pth',
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
