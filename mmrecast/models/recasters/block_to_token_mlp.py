# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Optional

import torch.nn as nn

from mmrecast.registry import RECASTERS
from mmrecast.utils.errors import ConfigError
from ..blocks import TokenMLP
from .base_recaster import BaseRecaster
from .block_io import BlockIO

__all__ = ['BlockToTokenMLP']


@RECASTERS.register_module()
class BlockToTokenMLP(BaseRecaster):
    """A transformer layer on tokens (N, L, C) -> :class:`TokenMLP` of its
    width: the attention dropped, one residual MLP of ``mlp_ratio * C``
    hidden channels in its place (Puzzle's attention replacement, with an
    MLP where it uses a linear layer). It starts as the identity and learns
    the layer's output token by token.

    Args:
        mlp_ratio (float): Hidden width of the MLP over the token width.
            Defaults to 1.
    """

    def __init__(self, mlp_ratio: float = 1.0):
        if isinstance(mlp_ratio, bool) or not isinstance(
                mlp_ratio, (int, float)) or mlp_ratio <= 0:
            raise ConfigError(f'BlockToTokenMLP: mlp_ratio={mlp_ratio!r}: '
                              'give the hidden width over the token width, '
                              'a positive number, e.g. mlp_ratio=1')
        self.mlp_ratio = mlp_ratio

    def unfit_for(self, in_shape: tuple, io: BlockIO) -> Optional[str]:
        if len(in_shape) != 3:
            return 'builds an MLP over tokens, for blocks on (N, L, C)'
        if io.in_channels != io.out_channels:
            return (f'keeps the token width, which the block changes '
                    f'({io.in_channels} -> {io.out_channels})')
        return None

    def make_target(self, source: nn.Module, io: BlockIO) -> nn.Module:
        return TokenMLP(io.in_channels,
                        max(1, round(self.mlp_ratio * io.in_channels)))
