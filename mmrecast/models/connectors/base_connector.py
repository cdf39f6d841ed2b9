# Copyright (c) mmrecast contributors. All rights reserved.
from abc import ABCMeta, abstractmethod
from typing import Sequence

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmrecast.utils.errors import ConfigError
from .feature_conv import FeatureConv2d, FeatureConvTranspose2d

__all__ = ['BaseConnector', 'conv_stack']


class BaseConnector(BaseModule, metaclass=ABCMeta):
    """A trainable module between a recorded feature and a distill loss.

    The whole contract: ``forward(feature) -> tensor``. A new connector is
    one small file: subclass, build layers in ``__init__``, implement
    ``forward`` and register it in ``mmrecast.registry.MODELS``.
    """

    #: Channels of the feature it takes (set by subclasses).
    in_channels: int

    @abstractmethod
    def forward(self, feature: torch.Tensor) -> torch.Tensor:
        """Map a feature to what the loss compares."""

    def check_input(self, feature: torch.Tensor) -> None:
        """Refuse a feature of another width than ``in_channels``, naming
        the field (torch's conv error names neither)."""
        if feature.dim() != 4 or feature.shape[1] != self.in_channels:
            raise ConfigError(
                f'{type(self).__name__}: in_channels={self.in_channels}, but '
                f'its feature has shape {tuple(feature.shape)}; set '
                'in_channels to the channels of the recorded module')


def conv_stack(channels: Sequence[int],
               use_bn: bool,
               transposed: bool = False,
               slope: float = 0.1) -> nn.Sequential:
    """3x3 (transposed) convs, stride 1, pad 1, along ``channels``
    (``[c0, c1, ..., cn]``), each followed by optional BN and LeakyReLU.
    The convs are :mod:`~mmrecast.models.connectors.feature_conv` layers
    (same parameters as ``nn`` ones, faster weight gradient on CPU)."""
    conv = FeatureConvTranspose2d if transposed else FeatureConv2d
    layers = []
    for c_in, c_out in zip(channels[:-1], channels[1:]):
        layers.append(conv(c_in, c_out, 3, 1, 1, bias=not use_bn))
        if use_bn:
            layers.append(nn.BatchNorm2d(c_out))
        layers.append(nn.LeakyReLU(slope, inplace=True))
    return nn.Sequential(*layers)
