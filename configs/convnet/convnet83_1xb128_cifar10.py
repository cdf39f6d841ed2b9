# Plain ConvNet with ResNet-83's layout (9 Conv-BN-ReLU per stage at the
# bottlenecks' mid widths 16/32/64) from scratch: the baseline of recasting
# ResNet-83.
_base_ = ['./convnet56_1xb128_cifar10.py']

model = dict(backbone=dict(depth=83, bottleneck_layout=True))
