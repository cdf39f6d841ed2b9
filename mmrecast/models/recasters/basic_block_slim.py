# Copyright (c) mmrecast contributors. All rights reserved.
import torch.nn as nn

from mmrecast.registry import RECASTERS
from ..blocks import BasicBlock
from ..blocks.shortcut import ZeroPadShortcut
from .base_recaster import BaseRecaster
from .block_io import BlockIO
from .width_ratio import check_ratio, scaled_width

__all__ = ['BasicBlockSlim']


@RECASTERS.register_module()
class BasicBlockSlim(BaseRecaster):
    """Residual block (in, out, stride) -> BasicBlock (in, out, stride) with
    ``round(ratio * out)`` channels between its convs.

    Unlike :class:`BasicBlockReduce`, the block keeps its interface, so the
    blocks around it stay as they are: slimmed blocks of any ratio combine
    freely, which is what a per-block plan search needs.

    Args:
        ratio (float): Kept fraction of the inner channels, in (0, 1].
    """

    def __init__(self, ratio: float):
        self.ratio = check_ratio('BasicBlockSlim', ratio)

    def make_target(self, source: nn.Module, io: BlockIO) -> nn.Module:
        mid = scaled_width(io.out_channels, self.ratio)
        kind = 'A' if isinstance(getattr(source, 'shortcut', None),
                                 ZeroPadShortcut) else 'B'
        return BasicBlock(io.in_channels, io.out_channels, io.stride, kind,
                          mid_channels=mid)
