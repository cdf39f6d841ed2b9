# Plain ConvNet-20 (3 Conv-BN-ReLU per stage) from scratch: the baseline of
# recasting ResNet-20.
_base_ = ['./convnet56_1xb128_cifar10.py']

model = dict(backbone=dict(depth=20))
