# Copyright (c) mmrecast contributors. All rights reserved.
import torch.nn as nn

from mmrecast.utils.errors import ConfigError

__all__ = ['SeparableConvBNReLU', 'check_num_convs']


def check_num_convs(owner: str, num_convs: int) -> int:
    """``num_convs`` if it is a positive integer, else a
    :class:`ConfigError` that names ``owner``'s argument."""
    if isinstance(num_convs, bool) or not isinstance(num_convs, int) \
            or num_convs < 1:
        raise ConfigError(f'{owner}: num_convs={num_convs!r} must be a '
                          'positive integer, e.g. 1 or 2')
    return num_convs


class SeparableConvBNReLU(nn.Sequential):
    """Depthwise-separable conv (MobileNet's unit): a depthwise 3x3
    Conv-BN-ReLU (stride), then a pointwise 1x1 Conv-BN-ReLU (in -> out);
    ``num_convs`` such units in a row, the first with the stride.

    One unit costs ``1 / out + 1 / 9`` of a full 3x3 conv's MACs: the
    cheapest recast target here that still mixes space and channels. Two
    units see the 5x5 window of a basic block's two convs, at a fraction of
    one plain conv's cost.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        stride (int): Stride of the first depthwise conv. Defaults to 1.
        num_convs (int): Separable convs in a row. Defaults to 1.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 stride: int = 1,
                 num_convs: int = 1):
        check_num_convs('SeparableConvBNReLU', num_convs)
        layers = []
        for n in range(num_convs):
            width = in_channels if n == 0 else out_channels
            layers += [
                nn.Conv2d(width, width, 3, stride=stride if n == 0 else 1,
                          padding=1, groups=width, bias=False),
                nn.BatchNorm2d(width), nn.ReLU(inplace=True),
                nn.Conv2d(width, out_channels, 1, bias=False),
                nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True)
            ]
        super().__init__(*layers)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.stride = stride
        self.num_convs = num_convs
