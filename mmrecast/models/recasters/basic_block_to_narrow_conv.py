# Copyright (c) mmrecast contributors. All rights reserved.
import torch.nn as nn

from mmrecast.registry import RECASTERS
from ..blocks import NarrowConv
from .base_recaster import BaseRecaster
from .block_io import BlockIO
from .width_ratio import check_ratio, scaled_width

__all__ = ['BasicBlockToNarrowConv']


@RECASTERS.register_module()
class BasicBlockToNarrowConv(BaseRecaster):
    """Residual basic block (in, out, stride) -> one Conv3x3 with
    ``round(ratio * out)`` filters, then a 1x1 projection back to ``out``
    (:class:`~mmrecast.models.blocks.NarrowConv`).

    The block keeps its interface, so it is a plan-search candidate like
    any other; exported, its projection folds into a next block that is a
    conv, which then reads the narrow width: the pair costs about
    ``ratio`` of two plain convs. Reads widths as :class:`BasicBlockToConv`
    does.

    Args:
        ratio (float): Kept fraction of the filters, in (0, 1).
    """

    def __init__(self, ratio: float = 0.5):
        self.ratio = check_ratio('BasicBlockToNarrowConv', ratio,
                                 keep_all=False)

    def make_target(self, source: nn.Module, io: BlockIO) -> nn.Module:
        mid = scaled_width(io.out_channels, self.ratio)
        return NarrowConv(io.in_channels, mid, io.out_channels, io.stride)
