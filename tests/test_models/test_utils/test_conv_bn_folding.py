# Copyright (c) mmrecast contributors. All rights reserved.
import torch
import torch.nn as nn

from mmrecast.models import CifarResNet
from mmrecast.models.utils import fold_conv_bn, foldable_conv_bn_pairs


def _randomise_bn(model: nn.Module) -> nn.Module:
    """Trained-looking BN statistics, so that a wrong fold shows."""
    gen = torch.Generator().manual_seed(0)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d) and m.running_mean is not None:
            m.running_mean.normal_(generator=gen)
            m.running_var.uniform_(0.5, 2, generator=gen)
            m.weight.data.normal_(generator=gen)
            m.bias.data.normal_(generator=gen)
    return model.eval()


class _Shapes(nn.Module):
    """One foldable pair and four that must stay: a residual taken before
    the BN, a shared conv, a BN without running statistics, a BN before
    its conv."""

    def __init__(self):
        super().__init__()
        self.seq = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1),
                                 nn.BatchNorm2d(4))
        self.conv_res = nn.Conv2d(4, 4, 1)
        self.bn_res = nn.BatchNorm2d(4)
        self.shared = nn.Conv2d(4, 4, 1)
        self.bn_shared = nn.BatchNorm2d(4)
        self.conv_free = nn.Conv2d(4, 4, 1)
        self.bn_free = nn.BatchNorm2d(4, track_running_stats=False)
        self.bn_pre = nn.BatchNorm2d(4)
        self.conv_post = nn.Conv2d(4, 4, 1)

    def forward(self, x):
        x = self.seq(x)
        y = self.conv_res(x)
        x = self.bn_res(y) + y
        x = self.bn_shared(self.shared(x)) + self.shared(x)
        x = self.bn_free(self.conv_free(x))
        return self.conv_post(self.bn_pre(x))


def test_only_exact_pairs_are_found_and_folding_keeps_the_output():
    model = _randomise_bn(_Shapes())
    assert foldable_conv_bn_pairs(model) == [('seq.0', 'seq.1')]
    x = torch.randn(2, 3, 8, 8)
    with torch.no_grad():
        before = model(x)
        fold_conv_bn(model, foldable_conv_bn_pairs(model))
        after = model(x)
    assert isinstance(model.seq[1], nn.Identity)
    assert model.seq[0].bias is not None
    torch.testing.assert_close(after, before, rtol=1e-5, atol=1e-5)


def test_kept_modules_are_not_folded_and_hooks_do_not_see_the_trace():
    model = _randomise_bn(CifarResNet(20))
    everything = foldable_conv_bn_pairs(model)
    assert ('layer1.0.conv1', 'layer1.0.bn1') in everything
    assert ('layer2.1.conv2', 'layer2.1.bn2') in everything
    seen = []
    model.layer1[0].conv1.register_forward_hook(
        lambda m, i, o: seen.append(type(o)))
    model.layer2.register_forward_pre_hook(
        lambda m, i: seen.append(type(i[0])))
    pairs = foldable_conv_bn_pairs(
        model, keep=['layer1.0.conv1', 'layer2.1.bn2', 'layer3'])
    assert pairs == [
        p for p in everything
        if p not in (('layer1.0.conv1', 'layer1.0.bn1'),
                     ('layer2.1.conv2', 'layer2.1.bn2'))
    ]
    assert not seen  # neither hook ran on the trace's proxies


def test_call_kwargs_reach_the_traced_forward():

    class Moded(nn.Module):

        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 3, 1)
            self.bn = nn.BatchNorm2d(3)

        def forward(self, x, mode='loss'):
            if mode != 'tensor':
                raise ValueError('tensor mode only')
            return self.bn(self.conv(x))

    assert foldable_conv_bn_pairs(Moded(), mode='tensor') == [('conv', 'bn')]


def test_a_network_without_batch_norm_is_not_traced():
    """Nothing to fold: an untraceable forward (a ViT's control flow)
    gave a warning that BN was not folded, where there was none."""

    class Branching(nn.Module):

        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(3, 3)

        def forward(self, x):
            return self.linear(x) if x.sum() > 0 else x

    assert foldable_conv_bn_pairs(Branching()) == []
