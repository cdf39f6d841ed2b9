# Copyright (c) mmrecast contributors. All rights reserved.
import torch
import torch.nn as nn

from .shortcut import build_shortcut

__all__ = ['Bottleneck']


class Bottleneck(nn.Module):
    """Post-activation bottleneck: 1x1 (in->mid), 3x3 (mid->mid, stride),
    1x1 (mid->out), each with BN, add, ReLU.

    Args:
        in_channels (int): Input channels.
        mid_channels (int): Channels of the 3x3 conv.
        out_channels (int): Output channels (usually ``4 * mid``).
        stride (int): Stride of the 3x3 conv. Defaults to 1.
        shortcut (str): ``'A'`` or ``'B'``. Defaults to ``'B'``.
    """

    def __init__(self,
                 in_channels: int,
                 mid_channels: int,
                 out_channels: int,
                 stride: int = 1,
                 shortcut: str = 'B'):
        super().__init__()
        self.in_channels = in_channels
        self.mid_channels = mid_channels
        self.out_channels = out_channels
        self.stride = stride
        self.conv1 = nn.Conv2d(in_channels, mid_channels, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(mid_channels)
        self.conv2 = nn.Conv2d(
            mid_channels, mid_channels, 3, stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(mid_channels)
        self.conv3 = nn.Conv2d(mid_channels, out_channels, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.shortcut = build_shortcut(shortcut, in_channels, out_channels,
                                       stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + self.shortcut(x))
