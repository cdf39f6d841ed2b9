# Copyright (c) mmrecast contributors. All rights reserved.
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmrecast.utils.errors import ConfigError

__all__ = ['ZeroPadShortcut', 'build_shortcut']


class ZeroPadShortcut(nn.Module):
    """He et al.'s option-A shortcut: subsample by the stride and zero-pad
    the new channels, split evenly before and after (no parameters).

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels (>= ``in_channels``).
        stride (int): Spatial subsampling factor.
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int):
        super().__init__()
        if out_channels < in_channels:
            raise ConfigError(f"shortcut='A' cannot reduce channels "
                              f"({in_channels} -> {out_channels}); use "
                              "shortcut='B'")
        self.stride = stride
        extra = out_channels - in_channels
        self.pad = (extra // 2, extra - extra // 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.stride > 1:
            x = x[:, :, ::self.stride, ::self.stride]
        return F.pad(x, (0, 0, 0, 0, *self.pad))


def build_shortcut(kind: str, in_channels: int, out_channels: int,
                   stride: int) -> nn.Module:
    """The shortcut of a residual block.

    Args:
        kind (str): ``'A'`` (subsample + zero-pad, no parameters) or ``'B'``
            (1x1 conv + BN projection) when the shape changes; identity
            otherwise.
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        stride (int): Stride of the block.

    Returns:
        nn.Module: The shortcut module.
    """
    if stride == 1 and in_channels == out_channels:
        return nn.Identity()
    if kind == 'A':
        return ZeroPadShortcut(in_channels, out_channels, stride)
    if kind == 'B':
        return nn.Sequential(
            nn.Conv2d(in_channels, out_channels, 1, stride, bias=False),
            nn.BatchNorm2d(out_channels))
    raise ConfigError(f"shortcut={kind!r}; use 'A' (zero padding) or 'B' "
                      '(a 1x1 projection)')
