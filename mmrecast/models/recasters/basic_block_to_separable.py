# Copyright (c) mmrecast contributors. All rights reserved.
import torch.nn as nn

from mmrecast.registry import RECASTERS
from ..blocks import SeparableConvBNReLU
from ..blocks.separable_conv import check_num_convs
from .base_recaster import BaseRecaster
from .block_io import BlockIO

__all__ = ['BasicBlockToSeparableConv']


@RECASTERS.register_module()
class BasicBlockToSeparableConv(BaseRecaster):
    """Residual basic block (in, out, stride) -> depthwise-separable convs
    (:class:`~mmrecast.models.blocks.SeparableConvBNReLU`): the interface
    kept at a fraction of ``BasicBlockToConv``'s cost, a candidate for tight
    latency budgets. Reads widths as :class:`BasicBlockToConv` does.

    Args:
        num_convs (int): Separable convs in a row; 2 mirrors the block's
            two 3x3 convs and, at batch 1 in onnxruntime, still runs faster
            than one plain conv. Defaults to 1.
    """

    def __init__(self, num_convs: int = 1):
        self.num_convs = check_num_convs('BasicBlockToSeparableConv',
                                         num_convs)

    def make_target(self, source: nn.Module, io: BlockIO) -> nn.Module:
        return SeparableConvBNReLU(io.in_channels, io.out_channels,
                                   io.stride, self.num_convs)
