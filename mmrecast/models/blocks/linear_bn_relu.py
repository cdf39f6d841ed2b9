# Copyright (c) mmrecast contributors. All rights reserved.
import torch
import torch.nn as nn

__all__ = ['LinearBNReLU']


class LinearBNReLU(nn.Module):
    """Flatten - Linear - BN1d - ReLU, the hidden FC layer of CIFAR VGG.

    Args:
        in_features (int): Input features.
        out_features (int): Output features.
    """

    def __init__(self, in_features: int, out_features: int):
        super().__init__()
        self.in_channels = in_features
        self.out_channels = out_features
        self.stride = 1
        self.fc = nn.Linear(in_features, out_features)
        self.bn = nn.BatchNorm1d(out_features)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.relu(self.bn(self.fc(torch.flatten(x, 1))))
