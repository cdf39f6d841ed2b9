# Copyright (c) mmrecast contributors. All rights reserved.
import torch.nn as nn

from mmrecast.registry import RECASTERS
from ..blocks import BasicBlock
from .base_recaster import BaseRecaster
from .block_io import BlockIO

__all__ = ['DenseBlockToBasicBlock']


@RECASTERS.register_module()
class DenseBlockToBasicBlock(BaseRecaster):
    """Dense block (in -> out) -> one residual BasicBlock(in, out, stride 1)
    with a 1x1 conv + BN projection shortcut (the DenseNet -> ResNet
    mapping of the recasting paper).

    Args:
        shortcut (str): ``'B'`` (projection, the reference) or ``'A'``.
    """

    def __init__(self, shortcut: str = 'B'):
        self.shortcut = shortcut

    def make_target(self, source: nn.Module, io: BlockIO) -> nn.Module:
        return BasicBlock(io.in_channels, io.out_channels, io.stride,
                          self.shortcut)
