# Copyright (c) mmrecast contributors. All rights reserved.
import torch.nn as nn

__all__ = ['SeparableConvBNReLU']


class SeparableConvBNReLU(nn.Sequential):
    """Depthwise-separable conv (MobileNet's unit): a depthwise 3x3
    Conv-BN-ReLU (stride), then a pointwise 1x1 Conv-BN-ReLU (in -> out).

    It costs ``1 / out + 1 / 9`` of a full 3x3 conv's MACs: the cheapest
    recast target here that still mixes space and channels.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        stride (int): Stride of the depthwise conv. Defaults to 1.
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1):
        super().__init__(
            nn.Conv2d(in_channels, in_channels, 3, stride=stride, padding=1,
                      groups=in_channels, bias=False),
            nn.BatchNorm2d(in_channels), nn.ReLU(inplace=True),
            nn.Conv2d(in_channels, out_channels, 1, bias=False),
            nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True))
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.stride = stride
