# Copyright (c) mmrecast contributors. All rights reserved.
import torch.nn as nn
from mmcv.cnn import ConvModule

from mmrecast.registry import RECASTERS
from ..blocks import ConvBNReLU, LinearBNReLU
from .base_recaster import BaseRecaster
from .block_io import BlockIO
from .width_ratio import check_ratio, scaled_width

__all__ = ['ConvReduce']


def _conv_bn_relu_conv(block: nn.Module):
    """The conv of a conv-BN-ReLU block, or None for other blocks."""
    if isinstance(block, ConvBNReLU):
        return block[0]
    if isinstance(block, ConvModule) \
            and 'BN' in str((block.norm_cfg or {}).get('type')) \
            and (block.act_cfg or {}).get('type') == 'ReLU':
        return block.conv
    return None


@RECASTERS.register_module()
class ConvReduce(BaseRecaster):
    """Conv-BN-ReLU (C) -> the same with ``round(ratio * C)`` filters
    (filter reduction, e.g. VGG-16 x0.4, or per-layer ratios by giving each
    plan step its own ratio). Kernel, stride and bias are kept; the input
    width is the current one (already reduced by the previous step).

    Sources: mmrecast's ``ConvBNReLU``, mmcv's ``ConvModule`` with BN and
    ReLU (e.g. mmpretrain's VGG; the target is a ``ConvBNReLU``) and the
    hidden FC of ``CifarVGG``.

    Args:
        ratio (float): Kept fraction of the filters, in (0, 1].
    """

    def __init__(self, ratio: float):
        self.ratio = check_ratio('ConvReduce', ratio)

    def make_target(self, source: nn.Module, io: BlockIO) -> nn.Module:
        out = scaled_width(io.out_channels, self.ratio)
        if isinstance(source, LinearBNReLU):
            return LinearBNReLU(io.in_channels, out)
        conv = _conv_bn_relu_conv(source)
        if conv is None:
            raise TypeError(f'ConvReduce recasts ConvBNReLU, a conv-BN-ReLU '
                            f'ConvModule or the hidden FC of CifarVGG, not '
                            f'{type(source).__name__}')
        return ConvBNReLU(io.in_channels, out, io.stride,
                          conv.kernel_size[0], conv.bias is not None)
