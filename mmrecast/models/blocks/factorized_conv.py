# Copyright (c) mmrecast contributors. All rights reserved.
import torch.nn as nn

__all__ = ['FactorizedConv']


class FactorizedConv(nn.Sequential):
    """A k x 1 Conv-BN-ReLU, then a 1 x k Conv-BN-ReLU, both at the full
    width: a k x k conv factorized into two asymmetric ones, as in
    Inception-v3.

    It sees the same k x k window as one full conv at ``2 / k`` of its MACs
    (for ``in == out``), keeps every channel and adds a ReLU, so it sits
    between a plain conv and no block at all for a tight latency budget.
    The stride is split: the first conv strides the rows, the second the
    columns, so no input pixel of the window is skipped.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels of both convs.
        stride (int): Stride of the pair. Defaults to 1.
        kernel_size (int): Odd kernel length k. Defaults to 3.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 stride: int = 1,
                 kernel_size: int = 3):
        pad = kernel_size // 2
        super().__init__(
            nn.Conv2d(in_channels, out_channels, (kernel_size, 1),
                      stride=(stride, 1), padding=(pad, 0), bias=False),
            nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True),
            nn.Conv2d(out_channels, out_channels, (1, kernel_size),
                      stride=(1, stride), padding=(0, pad), bias=False),
            nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True))
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.stride = stride
