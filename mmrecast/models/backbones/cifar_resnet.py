# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Optional, Sequence, Union

import torch.nn as nn

from mmrecast.registry import MODELS
from mmrecast.utils.errors import ConfigError
from ..blocks import BasicBlock, Bottleneck, ConvBNReLU
from .block_backbone import BlockBackbone

__all__ = ['CifarResNet']


@MODELS.register_module()
class CifarResNet(BlockBackbone):
    """He et al.'s CIFAR ResNet (3 stages, post-activation).

    Reference: He, Zhang, Ren, Sun, "Deep Residual Learning for Image
    Recognition", CVPR 2016, section 4.2. Basic blocks give depth
    ``6n + 2`` (20, 32, 44, 56, 110); bottlenecks give ``9n + 2`` (83, 164)
    with widths ``mid = 16/32/64 x widen``, ``out = 4 mid``.

    The network recasting reference code uses shortcut ``'B'`` and a bare
    stem conv (``stem_norm=False``); the common pre-trained CIFAR ResNets
    (e.g. akamaster/pytorch_resnet_cifar10) use shortcut ``'A'`` and a
    conv-BN-ReLU stem.

    Blocks: ``layer{1,2,3}.{j}`` (see :class:`BlockBackbone`).

    Args:
        depth (int): Network depth.
        block (str): ``'basic'`` or ``'bottleneck'``. Defaults to
            ``'basic'``.
        shortcut (str): ``'A'`` (zero-pad) or ``'B'`` (1x1 conv + BN
            projection). Defaults to ``'B'``.
        stem_norm (bool): Whether the stem conv is followed by BN-ReLU.
            Defaults to False.
        base_channels (int): Channels of the stem and the first stage.
            Defaults to 16.
        widen_factor (int | float): Width multiplier of the stages.
            Defaults to 1.
        in_channels (int): Input image channels. Defaults to 3.
        out_indices (Sequence[int] | int): Stages to output. Defaults to -1.
        init_cfg (dict, optional): Initialization config.
    """

    def __init__(self,
                 depth: int,
                 block: str = 'basic',
                 shortcut: str = 'B',
                 stem_norm: bool = False,
                 base_channels: int = 16,
                 widen_factor: Union[int, float] = 1,
                 in_channels: int = 3,
                 out_indices: Union[int, Sequence[int]] = -1,
                 init_cfg: Optional[dict] = None):
        super().__init__(out_indices=out_indices, init_cfg=init_cfg)
        self.block = block
        if block not in ('basic', 'bottleneck'):
            raise ConfigError(f"CifarResNet: block={block!r}; use 'basic' "
                              "or 'bottleneck'")
        per_layer = 2 if block == 'basic' else 3
        if (depth - 2) % (3 * per_layer) != 0:
            form = '6n + 2' if block == 'basic' else '9n + 2'
            raise ConfigError(
                f'CifarResNet: depth={depth} is not {form} for {block} '
                'blocks; use e.g. ' + ('20, 32, 44, 56 or 110' if block
                                       == 'basic' else '83 or 164'))
        self.depth = depth
        num_blocks = (depth - 2) // (3 * per_layer)

        stem = [nn.Conv2d(in_channels, base_channels, 3, 1, 1, bias=False)]
        if stem_norm:
            stem += [nn.BatchNorm2d(base_channels), nn.ReLU(inplace=True)]
        self.stem = nn.Sequential(*stem)

        channels = base_channels
        self.stage_names = []
        for i in range(3):
            width = int(round(base_channels * 2**i * widen_factor))
            blocks = []
            for j in range(num_blocks):
                stride = 2 if i > 0 and j == 0 else 1
                if block == 'basic':
                    blocks.append(
                        BasicBlock(channels, width, stride, shortcut))
                    channels = width
                else:
                    blocks.append(
                        Bottleneck(channels, width, 4 * width, stride,
                                   shortcut))
                    channels = 4 * width
            name = f'layer{i + 1}'
            self.add_module(name, nn.Sequential(*blocks))
            self.stage_names.append(name)
        self.out_channels = channels
        self._check_out_indices()

    def plain_equivalent(self) -> Optional[dict]:
        """The :class:`ConvNet` config with exactly this network's layers
        once recasting has made every block a ``ConvBNReLU`` of one group
        (export then writes the student as that plain network), else None:
        a removed block or a grouped conv has no place in a ConvNet."""
        blocks = [
            block for stage in self.stage_names
            for block in getattr(self, stage).children()
        ]
        if not all(
                isinstance(block, ConvBNReLU) and block[0].groups == 1
                for block in blocks):
            return None
        stem_conv = self.stem[0]
        widths = [
            getattr(self, stage)[-1].out_channels
            for stage in self.stage_names
        ]
        return dict(
            type='mmrecast.ConvNet',
            depth=self.depth,
            widths=widths,
            bottleneck_layout=self.block == 'bottleneck',
            stem_norm=len(self.stem) > 1,
            stem_channels=stem_conv.out_channels,
            in_channels=stem_conv.in_channels,
            out_indices=self.out_indices)
