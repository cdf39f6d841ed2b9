# Copyright (c) mmrecast contributors. All rights reserved.
import torch
import torch.nn as nn

from mmrecast.models import BasicBlock, BasicBlockToRepVGG, ConvBNReLU
from mmrecast.models.utils import as_deployed, reparameterized
from tests.helpers import trained_looking


def _net() -> nn.Module:
    """RepVGG blocks with an identity branch (16 -> 16) and without one
    (stride 2), between plain layers."""
    recaster = BasicBlockToRepVGG()
    gen = torch.Generator().manual_seed(0)
    return nn.Sequential(
        ConvBNReLU(3, 16),
        recaster.build_target(BasicBlock(16, 16), gen),
        recaster.build_target(BasicBlock(16, 32, 2), gen))


def test_merged_blocks_compute_the_same_with_one_conv_each():
    net = trained_looking(_net())
    assert net[1].branch_norm is not None and net[2].branch_norm is None
    deployed = as_deployed(net)
    assert deployed is not net and net[1].branch_3x3 is not None
    convs = [m for m in deployed.modules() if isinstance(m, nn.Conv2d)]
    assert len(convs) == 3
    assert [c.kernel_size for c in convs[1:]] == [(3, 3), (3, 3)]
    images = torch.randn(2, 3, 16, 16)
    with torch.no_grad():
        torch.testing.assert_close(deployed(images), net(images), rtol=1e-5,
                                   atol=1e-5)


def test_a_model_without_branches_to_merge_is_returned_as_it_is():
    net = nn.Sequential(ConvBNReLU(3, 8), BasicBlock(8, 8)).eval()
    assert reparameterized(net) is net
    assert as_deployed(net) is net


def test_a_backbone_that_switches_its_own_blocks_is_merged_once():
    """mmpretrain's RepVGG backbone has a switch of its own that switches
    its blocks (and a train() that returns None)."""
    from mmpretrain.models.backbones import RepVGG

    # float64: 22 layers of random weights give outputs in the hundreds,
    # where float32 rounding alone differs by more than any useful tolerance
    net = trained_looking(RepVGG('A0', out_indices=(3, ))).double()
    deployed = reparameterized(net)
    assert not deployed.training
    assert not any(hasattr(m, 'branch_3x3') for m in deployed.modules())
    images = torch.randn(1, 3, 32, 32, dtype=torch.float64,
                         generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        torch.testing.assert_close(deployed(images), net(images))
