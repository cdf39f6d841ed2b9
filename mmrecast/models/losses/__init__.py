# Copyright (c) mmrecast contributors. All rights reserved.
from .ft_loss import FTLoss
from .kd_loss import KDLoss
from .mse_loss import MSELoss
from .reconstruction_loss import ReconstructionLoss

__all__ = ['FTLoss', 'KDLoss', 'MSELoss', 'ReconstructionLoss']
