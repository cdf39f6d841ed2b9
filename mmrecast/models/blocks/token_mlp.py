# Copyright (c) mmrecast contributors. All rights reserved.
import torch
import torch.nn as nn

__all__ = ['TokenMLP']


class TokenMLP(nn.Module):
    """A residual MLP on tokens (N, L, C): ``x + scale * MLP(LN(x))``.

    A transformer layer without its attention: each token is transformed
    alone. ``scale`` (one per channel) starts at zero, so the block starts
    as the identity (the layer removed) and learns what the layer added.

    Args:
        channels (int): The token width C.
        hidden_channels (int): The MLP's hidden width.
    """

    def __init__(self, channels: int, hidden_channels: int):
        super().__init__()
        self.in_channels = self.out_channels = channels
        self.stride = 1
        self.norm = nn.LayerNorm(channels)
        self.fc1 = nn.Linear(channels, hidden_channels)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden_channels, channels)
        self.scale = nn.Parameter(torch.zeros(channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.scale * self.fc2(self.act(self.fc1(self.norm(x))))
