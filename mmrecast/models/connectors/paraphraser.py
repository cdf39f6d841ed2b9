# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Optional

import torch

from mmrecast.registry import MODELS
from mmrecast.utils.errors import ConfigError
from .base_connector import BaseConnector, conv_stack

__all__ = ['Paraphraser']


@MODELS.register_module()
class Paraphraser(BaseConnector):
    """Factor Transfer's paraphraser: a conv autoencoder on a teacher
    feature.

    Encoder: 3x3 convs m -> m -> mk -> mk; decoder: 3x3 transposed convs
    mk -> mk -> m -> m; each followed by LeakyReLU(0.1) (and BN when
    ``use_bn``), as in the official code. ``mk = round(m * rate)``.

    Reference: Kim, Park, Kwak, "Paraphrasing Complex Network: Network
    Compression via Factor Transfer", NeurIPS 2018.

    Args:
        in_channels (int): Channels m of the teacher feature.
        rate (float): Paraphrase rate k. Defaults to 0.5.
        use_bn (bool): BN after every conv. Defaults to False (official).
        phase (str): ``'pretrain'``: ``forward`` returns the reconstruction
            (the connector pre-training stage); ``'train'``: ``forward``
            returns the encoder output, the teacher factor, without
            gradient (the distill stage); the paraphraser is then frozen
            (no gradients, BN in eval mode).
        init_cfg (dict, optional): Initialization config.
    """

    def __init__(self,
                 in_channels: int,
                 rate: float = 0.5,
                 use_bn: bool = False,
                 phase: str = 'pretrain',
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        if phase not in ('pretrain', 'train'):
            raise ConfigError(f"Paraphraser: phase={phase!r}; use "
                              "'pretrain' (its own stage) or 'train' (frozen, "
                              'beside a student)')
        mk = round(in_channels * rate) \
            if isinstance(rate, (int, float)) else 0
        if mk < 1:
            raise ConfigError(f'Paraphraser: rate={rate!r} leaves no factor '
                              f'channel of in_channels={in_channels}; give '
                              'the paraphrase rate k, e.g. 0.5')
        self.phase = phase
        self.in_channels = in_channels
        self.out_channels = mk
        m = in_channels
        self.encoder = conv_stack([m, m, mk, mk], use_bn)
        self.decoder = conv_stack([mk, mk, m, m], use_bn, transposed=True)
        if phase == 'train':  # frozen: pre-trained in the previous stage
            self.requires_grad_(False)

    def train(self, mode: bool = True) -> 'Paraphraser':
        """In the ``'train'`` phase the paraphraser stays in eval mode."""
        return super().train(mode and self.phase == 'pretrain')

    def forward(self, feature: torch.Tensor) -> torch.Tensor:
        self.check_input(feature)
        if self.phase == 'pretrain':
            return self.decoder(self.encoder(feature))
        with torch.no_grad():
            return self.encoder(feature)
