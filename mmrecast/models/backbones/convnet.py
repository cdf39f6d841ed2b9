# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Optional, Sequence, Union

import torch.nn as nn

from mmrecast.registry import MODELS
from mmrecast.utils.errors import ConfigError
from ..blocks import ConvBNReLU
from .block_backbone import BlockBackbone

__all__ = ['ConvNet']


@MODELS.register_module()
class ConvNet(BlockBackbone):
    """Plain ConvNet with the stage layout of a CIFAR ResNet.

    Every residual block of the ResNet of the same ``depth`` becomes one
    Conv3x3-BN-ReLU: ``ConvNet(depth=56)`` has 27 conv blocks (9 per stage,
    16/32/64 channels), the network that recasting ResNet-56 produces. With
    ``bottleneck_layout`` it is the plain student of a bottleneck ResNet.

    Reference: Yu, Kang, Choi, "Network Recasting: A Universal Method for
    Network Architecture Transformation", AAAI 2019.

    Blocks: ``layer{1,2,3}.{j}``.

    Args:
        depth (int): Depth of the ResNet it mirrors: ``6n + 2`` gives ``n``
            blocks per stage (20 -> 3, 56 -> 9); ``9n + 2`` with
            ``bottleneck_layout=True`` (83 -> 9).
        widths (Sequence[int]): Channels of the three stages. Defaults to
            ``(16, 32, 64)``.
        bottleneck_layout (bool): Count blocks as a bottleneck ResNet does
            (depth ``9n + 2``). Defaults to False.
        stem_norm (bool): Whether the stem conv is followed by BN-ReLU.
            Defaults to False (a bare conv, as in the reference).
        stem_channels (int): Stem output channels. Defaults to 16.
        in_channels (int): Input image channels. Defaults to 3.
        out_indices (Sequence[int] | int): Stages to output. Defaults to -1.
        init_cfg (dict, optional): Initialization config.
    """

    def __init__(self,
                 depth: int,
                 widths: Sequence[int] = (16, 32, 64),
                 bottleneck_layout: bool = False,
                 stem_norm: bool = False,
                 stem_channels: int = 16,
                 in_channels: int = 3,
                 out_indices: Union[int, Sequence[int]] = -1,
                 init_cfg: Optional[dict] = None):
        super().__init__(out_indices=out_indices, init_cfg=init_cfg)
        per_block = 3 if bottleneck_layout else 2
        if (depth - 2) % (3 * per_block) != 0:
            form = '9n + 2' if bottleneck_layout else '6n + 2'
            raise ConfigError(f'ConvNet: depth={depth} is not {form}; use '
                              'e.g. ' + ('29, 56 or 83' if bottleneck_layout
                                         else '20, 32, 44 or 56'))
        if len(widths) != 3:
            raise ConfigError(f'ConvNet: widths={list(widths)} must give '
                              'the 3 stage widths, e.g. widths=[16, 32, 64]')
        self.depth = depth
        num_blocks = (depth - 2) // (3 * per_block)
        stem = [nn.Conv2d(in_channels, stem_channels, 3, 1, 1, bias=False)]
        if stem_norm:
            stem += [nn.BatchNorm2d(stem_channels), nn.ReLU(inplace=True)]
        self.stem = nn.Sequential(*stem)

        channels = stem_channels
        self.stage_names = []
        for i, width in enumerate(widths):
            blocks = []
            for j in range(num_blocks):
                stride = 2 if i > 0 and j == 0 else 1
                blocks.append(ConvBNReLU(channels, width, stride))
                channels = width
            name = f'layer{i + 1}'
            self.add_module(name, nn.Sequential(*blocks))
            self.stage_names.append(name)
        self.out_channels = channels
        self._check_out_indices()
