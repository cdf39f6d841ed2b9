# Copyright (c) mmrecast contributors. All rights reserved.
import torch.nn as nn

from mmrecast.registry import RECASTERS
from ..blocks import ConvBNReLU
from .base_recaster import BaseRecaster
from .block_io import BlockIO

__all__ = ['BasicBlockToConv']


@RECASTERS.register_module()
class BasicBlockToConv(BaseRecaster):
    """Residual basic block (in, out, stride) -> one Conv3x3(in -> out,
    stride)-BN-ReLU: the ResNet -> plain ConvNet mapping of the recasting
    paper. Works on any block whose widths :func:`block_io` reads
    (mmrecast's, torchvision's, mmpretrain's BasicBlock)."""

    def make_target(self, source: nn.Module, io: BlockIO) -> nn.Module:
        return ConvBNReLU(io.in_channels, io.out_channels, io.stride)
