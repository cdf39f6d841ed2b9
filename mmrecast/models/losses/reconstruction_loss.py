# Copyright (c) mmrecast contributors. All rights reserved.
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmrecast.registry import MODELS
from mmrecast.utils.errors import ConfigError

__all__ = ['ReconstructionLoss']


@MODELS.register_module()
class ReconstructionLoss(nn.Module):
    """How far a reconstruction is from its target (connector pre-training).

    Args:
        mode (str): ``'l1'`` (mean absolute error, the official Factor
            Transfer code), ``'mse'``, or ``'normalized_l2'`` (squared L2
            distance of the per-sample L2-normalised tensors, averaged over
            the batch, as mmrazor). Defaults to ``'l1'``.
        loss_weight (float): Weight. Defaults to 1.0.
    """

    modes = ('l1', 'mse', 'normalized_l2')

    def __init__(self, mode: str = 'l1', loss_weight: float = 1.0):
        super().__init__()
        if mode not in self.modes:
            raise ConfigError(f'ReconstructionLoss: mode={mode!r}; use one '
                              f'of {", ".join(map(repr, self.modes))}')
        self.mode = mode
        self.loss_weight = loss_weight

    def forward(self, reconstruction: torch.Tensor,
                target: torch.Tensor) -> torch.Tensor:
        target = target.detach()
        if self.mode == 'l1':
            loss = F.l1_loss(reconstruction, target)
        elif self.mode == 'mse':
            loss = F.mse_loss(reconstruction, target)
        else:
            r = F.normalize(reconstruction.flatten(1), dim=1)
            t = F.normalize(target.flatten(1), dim=1)
            loss = (r - t).pow(2).sum(dim=1).mean()
        return self.loss_weight * loss
