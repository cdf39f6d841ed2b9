# Copyright (c) mmrecast contributors. All rights reserved.
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmrecast.registry import MODELS

__all__ = ['MSELoss']


@MODELS.register_module()
class MSELoss(nn.Module):
    """Element-wise mean squared error to a detached teacher tensor: the
    recasting loss on block outputs, and on logits in its fine-tune stage.

    Args:
        loss_weight (float): Weight. Defaults to 1.0.
    """

    def __init__(self, loss_weight: float = 1.0):
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, student: torch.Tensor,
                teacher: torch.Tensor) -> torch.Tensor:
        return self.loss_weight * F.mse_loss(student, teacher.detach())
