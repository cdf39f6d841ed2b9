# Copyright (c) mmrecast contributors. All rights reserved.
import torch.nn as nn

__all__ = ['ConvBNReLU']


class ConvBNReLU(nn.Sequential):
    """Conv (no bias) - BN - ReLU, the unit of plain ConvNets and VGG.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        stride (int): Stride of the conv. Defaults to 1.
        kernel_size (int): Kernel size; padding keeps the size at stride 1.
            Defaults to 3.
        bias (bool): Whether the conv has a bias. Defaults to False.
        groups (int): Groups of the conv (each sees 1/groups of the input
            channels). Defaults to 1.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 stride: int = 1,
                 kernel_size: int = 3,
                 bias: bool = False,
                 groups: int = 1):
        super().__init__(
            nn.Conv2d(
                in_channels,
                out_channels,
                kernel_size,
                stride=stride,
                padding=kernel_size // 2,
                groups=groups,
                bias=bias), nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True))
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.stride = stride
