# Main-job demo, stage 1: the teacher. A CIFAR-style ResNet-14 (6 residual
# BasicBlocks, 16/32/64 channels) on MNIST (1 channel, 28 x 28), trained
# for 300 iterations (batch 128 per process: 1.3 epochs on two) with SGD
# 0.1 Nesterov and cosine decay.
_base_ = [
    '../_base_/datasets/mnist_bs128.py',
    '../_base_/schedules/cifar10_bs128_iter.py',
    '../_base_/default_runtime.py',
    '../_base_/models/resnet14_mnist.py',
]

param_scheduler = dict(T_max=300)
train_cfg = dict(max_iters=300, val_interval=300)
default_hooks = dict(
    checkpoint=dict(by_epoch=False, interval=150, max_keep_ckpts=1))
log_processor = dict(by_epoch=False)
randomness = dict(seed=0)
