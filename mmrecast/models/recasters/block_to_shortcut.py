# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Optional

import torch.nn as nn

from mmrecast.registry import RECASTERS
from ..blocks.shortcut import build_shortcut
from .base_recaster import BaseRecaster
from .block_io import BlockIO

__all__ = ['BlockToShortcut']


@RECASTERS.register_module()
class BlockToShortcut(BaseRecaster):
    """Any block (in, out, stride) -> its shortcut alone: nothing at all
    (identity) where the shape is kept, else a 1x1 Conv-BN projection.

    The block is removed from the network: the cheapest candidate of a
    plan search (the "no-op" choice of LANA and Puzzle). The identity has
    no widths of its own: it passes its block's input width.
    """

    instead = ('keep the block, or give a recaster of your own that '
               'builds its target')

    def unfit_for(self, in_shape: tuple, io: BlockIO) -> Optional[str]:
        """Any block that keeps its width (an identity: image feature maps,
        tokens, vectors); one that changes it on image feature maps only
        (its projection is a convolution)."""
        if io.in_channels == io.out_channels and io.stride == 1 \
                or len(in_shape) == 4:
            return None
        return (f'removes a block that changes its width ({io.in_channels} '
                f'-> {io.out_channels}) with a 1x1 convolution, for image '
                'feature maps (N, C, H, W) only')

    def make_target(self, source: nn.Module, io: BlockIO) -> nn.Module:
        return build_shortcut('B', io.in_channels, io.out_channels,
                              io.stride)
