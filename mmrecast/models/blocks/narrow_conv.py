# Copyright (c) mmrecast contributors. All rights reserved.
import torch.nn as nn

from .conv_bn_relu import ConvBNReLU

__all__ = ['NarrowConv']


class NarrowConv(nn.Sequential):
    """A Conv-BN-ReLU with fewer filters than its output, then a bias-free
    1x1 conv back to the full width.

    The projection lets a narrow conv stand where a full-width block did
    (teacher-fed training, any neighbour); it is linear, so deployment folds
    it into the conv that reads it (:func:`~mmrecast.models.utils.
    foldable_projections`), which then takes the narrow width as input.

    Args:
        in_channels (int): Input channels.
        mid_channels (int): Filters of the conv (the narrow width).
        out_channels (int): Output channels of the projection.
        stride (int): Stride of the conv. Defaults to 1.
        kernel_size (int): Odd kernel size of the conv. Defaults to 3.
    """

    def __init__(self,
                 in_channels: int,
                 mid_channels: int,
                 out_channels: int,
                 stride: int = 1,
                 kernel_size: int = 3):
        super().__init__(
            ConvBNReLU(in_channels, mid_channels, stride, kernel_size),
            nn.Conv2d(mid_channels, out_channels, 1, bias=False))
        self.in_channels = in_channels
        self.mid_channels = mid_channels
        self.out_channels = out_channels
        self.stride = stride
