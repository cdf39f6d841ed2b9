# Copyright (c) mmrecast contributors. All rights reserved.
import math

import pytest
import torch
import torch.nn.functional as F

from mmrecast.models import FTLoss, KDLoss, MSELoss, ReconstructionLoss
from mmrecast.utils.errors import ConfigError


def test_ft_loss_matches_the_formula_by_hand():
    # one sample per row, D = 4 elements each
    s = torch.tensor([[3., 0., 4., 0.], [1., 1., 1., 1.]]).view(2, 1, 2, 2)
    t = torch.tensor([[0., 0., 1., 0.], [2., 0., 0., 0.]]).view(2, 1, 2, 2)
    # normalised: s0 = (.6, 0, .8, 0), t0 = (0, 0, 1, 0)
    #             s1 = (.5, .5, .5, .5), t1 = (1, 0, 0, 0)
    l1 = (0.6 + 0 + 0.2 + 0 + 0.5 + 0.5 + 0.5 + 0.5) / 8
    assert FTLoss(p=1, loss_weight=1.)(s, t).item() == pytest.approx(l1)
    assert FTLoss(p=1, loss_weight=500.)(s, t).item() == pytest.approx(
        500 * l1)
    l2 = (0.36 + 0.04 + 4 * 0.25) / 8
    assert FTLoss(p=2, loss_weight=1.)(s, t).item() == pytest.approx(l2)


def test_ft_loss_does_not_train_the_teacher_factor():
    s = torch.randn(2, 3, 2, 2, requires_grad=True)
    t = torch.randn(2, 3, 2, 2, requires_grad=True)
    FTLoss()(s, t).backward()
    assert s.grad is not None and t.grad is None


def test_ft_loss_takes_p_1_or_2():
    with pytest.raises(ConfigError, match='FTLoss: p=3; use 1'):
        FTLoss(p=3)


def test_ft_loss_shape_mismatch_is_explained():
    with pytest.raises(ValueError, match='translator out_channels'):
        FTLoss()(torch.randn(1, 4, 2, 2), torch.randn(1, 8, 2, 2))


def test_reconstruction_modes():
    r = torch.tensor([[1., 2.], [0., 0.]])
    t = torch.tensor([[0., 2.], [0., 3.]])
    assert ReconstructionLoss('l1')(r, t).item() == pytest.approx(1.0)
    assert ReconstructionLoss('mse')(r, t).item() == pytest.approx(2.5)
    # row 0: (1,2)/sqrt5 vs (0,1); row 1: (0,0) stays 0 vs (0,1)
    row0 = (1 / math.sqrt(5))**2 + (2 / math.sqrt(5) - 1)**2
    expected = (row0 + 1.0) / 2
    assert ReconstructionLoss('normalized_l2')(r, t).item() == \
        pytest.approx(expected)
    with pytest.raises(ConfigError, match="mode='l3'; use one of 'l1'"):
        ReconstructionLoss('l3')


def test_mse_and_kd():
    s, t = torch.randn(4, 10), torch.randn(4, 10)
    assert MSELoss(2.)(s, t).item() == pytest.approx(
        2 * F.mse_loss(s, t).item())
    kd = KDLoss(tau=2.)(s, t)
    p_t = F.softmax(t / 2, 1)
    by_hand = 4 * (p_t * (p_t.log() - F.log_softmax(s / 2, 1))).sum(1).mean()
    assert kd.item() == pytest.approx(by_hand.item(), rel=1e-5)
    # T^2 = 16 scales float32 rounding of a zero KL up to ~1e-6
    assert KDLoss()(t, t).item() == pytest.approx(0.0, abs=1e-5)
