# Copyright (c) mmrecast contributors. All rights reserved.
import torch
import torch.nn as nn

__all__ = ['DenseLayer', 'DenseBlock', 'Transition']


class DenseLayer(nn.Module):
    """DenseNet-BC layer: BN-ReLU-1x1 (4k) - BN-ReLU-3x3 (k), concatenated
    to its input.

    Args:
        in_channels (int): Input channels.
        growth_rate (int): New channels k.
    """

    def __init__(self, in_channels: int, growth_rate: int):
        super().__init__()
        inner = 4 * growth_rate
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.conv1 = nn.Conv2d(in_channels, inner, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(inner)
        self.conv2 = nn.Conv2d(inner, growth_rate, 3, padding=1, bias=False)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.conv1(self.relu(self.bn1(x)))
        out = self.conv2(self.relu(self.bn2(out)))
        return torch.cat([x, out], dim=1)


class DenseBlock(nn.Module):
    """A dense block that ends with BN-ReLU, so that its output is a
    post-activation tensor (the recasting reference's convention).

    Args:
        in_channels (int): Input channels.
        num_layers (int): Number of :class:`DenseLayer`.
        growth_rate (int): New channels per layer.
    """

    def __init__(self, in_channels: int, num_layers: int, growth_rate: int):
        super().__init__()
        self.in_channels = in_channels
        self.out_channels = in_channels + num_layers * growth_rate
        self.stride = 1
        self.layers = nn.Sequential(*[
            DenseLayer(in_channels + i * growth_rate, growth_rate)
            for i in range(num_layers)
        ])
        self.bn = nn.BatchNorm2d(self.out_channels)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.relu(self.bn(self.layers(x)))


class Transition(nn.Sequential):
    """DenseNet-BC transition: 1x1 conv (with bias) then 2x2 average pool.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels (compression x input).
    """

    def __init__(self, in_channels: int, out_channels: int):
        super().__init__(
            nn.Conv2d(in_channels, out_channels, 1, bias=True),
            nn.AvgPool2d(2))
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.stride = 2
