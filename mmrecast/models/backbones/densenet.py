# Copyright (c) mmrecast contributors. All rights reserved.
import math
from typing import Optional, Sequence, Union

import torch.nn as nn

from mmrecast.registry import MODELS
from mmrecast.utils.errors import ConfigError
from ..blocks import DenseBlock, Transition
from .block_backbone import BlockBackbone

__all__ = ['DenseNetBC']


@MODELS.register_module()
class DenseNetBC(BlockBackbone):
    """DenseNet-BC for CIFAR (bottleneck layers, compression).

    Reference: Huang, Liu, van der Maaten, Weinberger, "Densely Connected
    Convolutional Networks", CVPR 2017. ``(depth - 4) / 6`` bottleneck layers
    per dense block, stem conv 3 -> 2k; as in the network recasting
    reference code, each dense block ends with BN-ReLU and a transition is a
    1x1 conv with bias followed by 2x2 average pooling. DenseNet-BC-100
    (k = 12): 0.769 M parameters.

    Blocks: ``stage1.0`` (dense block 1), ``stage1.1`` (transition 1),
    ``stage2.0``, ``stage2.1``, ``stage3.0`` (dense block 3).

    Args:
        depth (int): Depth (``6n + 4``: 40, 100, 190, 250).
        growth_rate (int): Growth rate k. Defaults to 12.
        compression (float): Transition channel ratio. Defaults to 0.5.
        in_channels (int): Input image channels. Defaults to 3.
        out_indices (Sequence[int] | int): Stages to output. Defaults to -1.
        init_cfg (dict, optional): Initialization config.
    """

    def __init__(self,
                 depth: int,
                 growth_rate: int = 12,
                 compression: float = 0.5,
                 in_channels: int = 3,
                 out_indices: Union[int, Sequence[int]] = -1,
                 init_cfg: Optional[dict] = None):
        super().__init__(out_indices=out_indices, init_cfg=init_cfg)
        if (depth - 4) % 6 != 0:
            raise ConfigError(f'DenseNetBC: depth={depth} is not 6n + 4; '
                              'use e.g. 40, 100 or 190')
        self.depth = depth
        num_layers = (depth - 4) // 6
        channels = 2 * growth_rate
        self.stem = nn.Conv2d(in_channels, channels, 3, 1, 1, bias=False)
        self.stage_names = []
        for i in range(3):
            dense = DenseBlock(channels, num_layers, growth_rate)
            channels = dense.out_channels
            modules = [dense]
            if i < 2:
                out = int(math.floor(channels * compression))
                modules.append(Transition(channels, out))
                channels = out
            name = f'stage{i + 1}'
            self.add_module(name, nn.Sequential(*modules))
            self.stage_names.append(name)
        self.out_channels = channels
        self._check_out_indices()
