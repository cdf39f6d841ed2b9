# Copyright (c) mmrecast contributors. All rights reserved.
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmrecast.registry import MODELS

__all__ = ['KDLoss']


@MODELS.register_module()
class KDLoss(nn.Module):
    """Soft-target knowledge distillation (Hinton et al., 2015):
    ``T^2 * KL(softmax(t / T) || softmax(s / T))``, averaged over the batch.

    Args:
        tau (float): Temperature T. Defaults to 4.
        loss_weight (float): Weight. Defaults to 1.0.
    """

    def __init__(self, tau: float = 4.0, loss_weight: float = 1.0):
        super().__init__()
        self.tau = tau
        self.loss_weight = loss_weight

    def forward(self, student: torch.Tensor,
                teacher: torch.Tensor) -> torch.Tensor:
        log_p_s = F.log_softmax(student / self.tau, dim=1)
        p_t = F.softmax(teacher.detach() / self.tau, dim=1)
        kl = F.kl_div(log_p_s, p_t, reduction='batchmean')
        return self.loss_weight * self.tau**2 * kl
