# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Optional, Sequence, Union

import torch.nn as nn

from mmrecast.registry import MODELS
from ..blocks import ConvBNReLU, LinearBNReLU
from .block_backbone import BlockBackbone

__all__ = ['CifarVGG']

VGG16_WIDTHS = ((64, 64), (128, 128), (256, 256, 256), (512, 512, 512),
                (512, 512, 512))


@MODELS.register_module()
class CifarVGG(BlockBackbone):
    """VGG with BN for 32x32 inputs, with the hidden FC layer of the network
    recasting reference (FC 512 -> 512 + BN1d + ReLU; the classifier head
    adds the last FC).

    Reference: Simonyan, Zisserman, "Very Deep Convolutional Networks for
    Large-Scale Image Recognition", ICLR 2015. VGG-16 on CIFAR-10: 14.99 M
    parameters. Convs have a bias, as in the reference.

    Blocks: ``layer{1..5}.{j}`` (the 13 Conv-BN-ReLU; the max-pool closing
    each stage is not a block) and ``layer6.0`` (the hidden FC layer).
    ``widths`` may be changed per conv, e.g. for a filter-reduced VGG.

    Args:
        widths (Sequence[Sequence[int]]): Conv widths per stage. Defaults to
            VGG-16's.
        hidden_features (int): Width of the hidden FC layer. Defaults to 512.
        in_channels (int): Input image channels. Defaults to 3.
        out_indices (Sequence[int] | int): Stages to output. Defaults to -1
            (the hidden FC layer's features, shape (N, hidden)).
        init_cfg (dict, optional): Initialization config.
    """

    def __init__(self,
                 widths: Sequence[Sequence[int]] = VGG16_WIDTHS,
                 hidden_features: int = 512,
                 in_channels: int = 3,
                 out_indices: Union[int, Sequence[int]] = -1,
                 init_cfg: Optional[dict] = None):
        super().__init__(out_indices=out_indices, init_cfg=init_cfg)
        self.stem = nn.Identity()
        self.stage_names = []
        channels = in_channels
        for i, stage_widths in enumerate(widths):
            modules = []
            for width in stage_widths:
                modules.append(ConvBNReLU(channels, width, bias=True))
                channels = width
            modules.append(nn.MaxPool2d(2))
            self.add_module(f'layer{i + 1}', nn.Sequential(*modules))
            self.stage_names.append(f'layer{i + 1}')
        name = f'layer{len(widths) + 1}'
        self.add_module(name,
                        nn.Sequential(LinearBNReLU(channels, hidden_features)))
        self.stage_names.append(name)
        self.out_channels = hidden_features
        self._check_out_indices()
