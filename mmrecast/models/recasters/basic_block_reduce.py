# Copyright (c) mmrecast contributors. All rights reserved.
import torch.nn as nn

from mmrecast.registry import RECASTERS
from ..blocks import BasicBlock
from ..blocks.shortcut import ZeroPadShortcut
from .base_recaster import BaseRecaster
from .block_io import BlockIO
from .width_ratio import check_ratio, scaled_width

__all__ = ['BasicBlockReduce']


@RECASTERS.register_module()
class BasicBlockReduce(BaseRecaster):
    """BasicBlock (in, out, stride) -> BasicBlock (in', round(ratio * out),
    stride): WRN filter reduction (WRN-28-10 x0.2 in the reference). The
    shortcut becomes a projection whenever the shape changes.

    Args:
        ratio (float): Kept fraction of the filters, in (0, 1].
    """

    def __init__(self, ratio: float):
        self.ratio = check_ratio('BasicBlockReduce', ratio)

    def make_target(self, source: nn.Module, io: BlockIO) -> nn.Module:
        out = scaled_width(io.out_channels, self.ratio)
        kind = 'A' if isinstance(getattr(source, 'shortcut', None),
                                 ZeroPadShortcut) and out >= io.in_channels \
            else 'B'
        return BasicBlock(io.in_channels, out, io.stride, kind)
