# Copyright (c) mmrecast contributors. All rights reserved.
import torch.nn as nn

from mmrecast.registry import RECASTERS
from ..blocks import SeparableConvBNReLU
from .base_recaster import BaseRecaster
from .block_io import BlockIO

__all__ = ['BasicBlockToSeparableConv']


@RECASTERS.register_module()
class BasicBlockToSeparableConv(BaseRecaster):
    """Residual basic block (in, out, stride) -> one depthwise-separable
    conv (:class:`~mmrecast.models.blocks.SeparableConvBNReLU`): the
    interface kept at a fraction of ``BasicBlockToConv``'s cost, a
    candidate for tight latency budgets. Reads widths as
    :class:`BasicBlockToConv` does."""

    def make_target(self, source: nn.Module, io: BlockIO) -> nn.Module:
        return SeparableConvBNReLU(io.in_channels, io.out_channels,
                                   io.stride)
