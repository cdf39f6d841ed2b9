# Copyright (c) mmrecast contributors. All rights reserved.
import torch.nn as nn

from mmrecast.registry import RECASTERS
from mmrecast.utils.errors import ConfigError
from ..blocks import ConvBNReLU
from .base_recaster import BaseRecaster
from .block_io import BlockIO

__all__ = ['BasicBlockToConv']


@RECASTERS.register_module()
class BasicBlockToConv(BaseRecaster):
    """Residual basic block (in, out, stride) -> one Conv3x3(in -> out,
    stride)-BN-ReLU: the ResNet -> plain ConvNet mapping of the recasting
    paper. Works on any block whose widths :func:`block_io` reads
    (mmrecast's, torchvision's, mmpretrain's BasicBlock).

    Args:
        groups (int): Groups of the conv: 2 halves its MACs and weights, a
            candidate between the plain conv and no block at all for a plan
            search. Both widths must divide by it. Defaults to 1.
        kernel_size (int): Odd kernel size of the conv; 1 (a 1x1 conv, 1/9
            of the MACs) is another such middle candidate: it keeps the
            block's channel mixing and ReLU, not its spatial context.
            Defaults to 3.
    """

    def __init__(self, groups: int = 1, kernel_size: int = 3):
        if groups < 1:
            raise ConfigError(f'BasicBlockToConv: groups must be at least 1, '
                              f'got {groups}')
        if kernel_size < 1 or kernel_size % 2 == 0:
            raise ConfigError(f'BasicBlockToConv: kernel_size must be odd '
                              f'(the output keeps its size), got '
                              f'{kernel_size}')
        self.groups = groups
        self.kernel_size = kernel_size

    def make_target(self, source: nn.Module, io: BlockIO) -> nn.Module:
        if io.in_channels % self.groups or io.out_channels % self.groups:
            raise ConfigError(
                f'BasicBlockToConv(groups={self.groups}): the block is '
                f'{io.in_channels} -> {io.out_channels} channels, not '
                f'divisible by {self.groups}; choose groups that divide both')
        return ConvBNReLU(io.in_channels, io.out_channels, io.stride,
                          kernel_size=self.kernel_size, groups=self.groups)
