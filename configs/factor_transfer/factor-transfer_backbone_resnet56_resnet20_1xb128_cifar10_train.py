# Factor Transfer, stage 2 (distillation), the official recipe: ResNet-56 ->
# ResNet-20 on CIFAR-10, beta = 500, 164 epochs.
#
# Stage hand-over (explicit): the paraphraser comes from the stage-1 work dir
# (its latest checkpoint), key prefix 'connectors.paraphraser.'.
_base_ = [
    '../_base_/models/ft-train_cifar-resnet56_resnet20.py',
    '../_base_/datasets/cifar10_bs128.py',
    '../_base_/schedules/ft-train_sgd_164e.py',
    '../_base_/default_runtime.py',
]

model = dict(init_from=[
    dict(
        module='connectors.paraphraser',
        checkpoint='work_dirs/factor-transfer_backbone_resnet56_resnet20_'
        '1xb128_cifar10_pretrain',
        prefix='connectors.paraphraser.')
])
