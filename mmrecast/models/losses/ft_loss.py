# Copyright (c) mmrecast contributors. All rights reserved.
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmrecast.registry import MODELS
from mmrecast.utils.errors import ConfigError

__all__ = ['FTLoss']


@MODELS.register_module()
class FTLoss(nn.Module):
    """Factor Transfer loss.

    Each factor is flattened per sample (C*H*W) and L2-normalised; the loss
    is ``loss_weight * mean(|F_T/|F_T| - F_S/|F_S||^p)`` over all N*C*H*W
    elements, as in the official code (``p = 1``: L1). Because of the mean
    over elements the term is small (each difference is at most 2/sqrt(D)),
    so ``loss_weight`` (beta; official 500 on CIFAR) decides its effect.

    Args:
        p (int): 1 or 2. Defaults to 1.
        loss_weight (float): beta. Defaults to 500.
    """

    def __init__(self, p: int = 1, loss_weight: float = 500.0):
        super().__init__()
        if p not in (1, 2):
            raise ConfigError(f'FTLoss: p={p!r}; use 1 (the paper) or 2')
        self.p = p
        self.loss_weight = loss_weight

    def forward(self, student: torch.Tensor,
                teacher: torch.Tensor) -> torch.Tensor:
        if student.shape != teacher.shape:
            raise ConfigError(f'FTLoss: student factor '
                              f'{tuple(student.shape)} != teacher factor '
                              f'{tuple(teacher.shape)}; set the translator '
                              "out_channels to the paraphraser's")
        s = F.normalize(student.flatten(1), dim=1)
        t = F.normalize(teacher.detach().flatten(1), dim=1)
        return self.loss_weight * (s - t).abs().pow(self.p).mean()
