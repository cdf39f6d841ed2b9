# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Optional

import torch

from mmrecast.registry import MODELS
from .base_connector import BaseConnector, conv_stack

__all__ = ['Translator']


@MODELS.register_module()
class Translator(BaseConnector):
    """Factor Transfer's translator: the paraphraser's encoder layout on a
    student feature, n -> n -> out -> out, 3x3 convs with LeakyReLU(0.1).

    Args:
        in_channels (int): Channels n of the student feature.
        out_channels (int): Channels of the teacher factor (the
            paraphraser's ``out_channels``).
        use_bn (bool): BN after every conv. Defaults to True (as mmrazor).
        init_cfg (dict, optional): Initialization config.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 use_bn: bool = True,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.encoder = conv_stack(
            [in_channels, in_channels, out_channels, out_channels], use_bn)

    def forward(self, feature: torch.Tensor) -> torch.Tensor:
        self.check_input(feature)
        return self.encoder(feature)
