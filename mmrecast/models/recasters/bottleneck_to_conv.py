# Copyright (c) mmrecast contributors. All rights reserved.
import torch.nn as nn

from mmrecast.registry import RECASTERS
from ..blocks import ConvBNReLU
from .base_recaster import BaseRecaster
from .block_io import BlockIO

__all__ = ['BottleneckToConv']


@RECASTERS.register_module()
class BottleneckToConv(BaseRecaster):
    """Bottleneck (in, mid, 4 mid, stride) -> Conv3x3(in -> mid, stride)-BN-
    ReLU, at the bottleneck's *mid* width (the recasting reference for
    ResNet-83/164 and ImageNet ResNet-50). The mid width is read from
    ``mid_channels`` or the first conv's output."""

    def make_target(self, source: nn.Module, io: BlockIO) -> nn.Module:
        mid = getattr(source, 'mid_channels', None)
        if mid is None:
            mid = source.conv1.out_channels
        return ConvBNReLU(io.in_channels, mid, io.stride)
