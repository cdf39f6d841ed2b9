# Copyright (c) mmrecast contributors. All rights reserved.
import torch.nn as nn

from mmrecast.registry import RECASTERS
from mmrecast.utils.errors import ConfigError
from ..blocks import FactorizedConv
from .base_recaster import BaseRecaster
from .block_io import BlockIO

__all__ = ['BasicBlockToFactorizedConv']


@RECASTERS.register_module()
class BasicBlockToFactorizedConv(BaseRecaster):
    """Residual basic block (in, out, stride) -> a k x 1 then a 1 x k
    Conv-BN-ReLU at the block's width
    (:class:`~mmrecast.models.blocks.FactorizedConv`).

    A plan-search candidate for batch-1 budgets where per-op cost follows
    the MACs: about ``2 / k`` of ``BasicBlockToConv``'s MACs with the full
    width and window kept, where narrow, grouped and 1x1 convs give up
    channels or context. Reads widths as :class:`BasicBlockToConv` does.

    Args:
        kernel_size (int): Odd kernel length k. Defaults to 3.
    """

    def __init__(self, kernel_size: int = 3):
        if kernel_size < 3 or kernel_size % 2 == 0:
            raise ConfigError(f'BasicBlockToFactorizedConv: kernel_size '
                              f'must be odd and at least 3, got '
                              f'{kernel_size}')
        self.kernel_size = kernel_size

    def make_target(self, source: nn.Module, io: BlockIO) -> nn.Module:
        return FactorizedConv(io.in_channels, io.out_channels, io.stride,
                              self.kernel_size)
