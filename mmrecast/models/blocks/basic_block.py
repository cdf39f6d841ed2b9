# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Optional

import torch
import torch.nn as nn

from .shortcut import build_shortcut

__all__ = ['BasicBlock']


class BasicBlock(nn.Module):
    """Post-activation residual block: two 3x3 conv-BN, add, ReLU.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        stride (int): Stride of the first conv. Defaults to 1.
        shortcut (str): ``'A'`` or ``'B'``, see
            :func:`~mmrecast.models.blocks.build_shortcut`. Defaults to
            ``'B'``.
        mid_channels (int, optional): Channels between the two convs (a
            slimmed block keeps its interface). Defaults to
            ``out_channels``.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 stride: int = 1,
                 shortcut: str = 'B',
                 mid_channels: Optional[int] = None):
        super().__init__()
        mid = mid_channels or out_channels
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.mid_channels = mid
        self.stride = stride
        self.conv1 = nn.Conv2d(
            in_channels, mid, 3, stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(mid)
        self.conv2 = nn.Conv2d(mid, out_channels, 3, 1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.shortcut = build_shortcut(shortcut, in_channels, out_channels,
                                       stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + self.shortcut(x))
