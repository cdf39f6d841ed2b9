# Copyright (c) mmrecast contributors. All rights reserved.
import torch
import torch.nn as nn

from mmrecast.models.blocks import BasicBlock, ConvBNReLU, NarrowConv
from mmrecast.models.utils import (fold_projections, foldable_projections,
                                   with_projections_folded)
from tests.helpers import trained_looking


class _Net(nn.Module):
    """Narrow convs before a plain conv (folds), a stride-2 conv (folds),
    a residual block (its input is read twice: stays) and a grouped conv
    (reads the channels in groups: stays), and a 1x1 that narrows (the
    conv after it would read the wider side: stays)."""

    def __init__(self):
        super().__init__()
        self.a = NarrowConv(3, 4, 8)
        self.b = ConvBNReLU(8, 8)
        self.c = NarrowConv(8, 3, 8)
        self.d = ConvBNReLU(8, 16, stride=2)
        self.e = NarrowConv(16, 8, 16)
        self.f = BasicBlock(16, 16)
        self.g = NarrowConv(16, 8, 16)
        self.h = ConvBNReLU(16, 16, groups=2)
        self.i = nn.Conv2d(16, 4, 1, bias=False)
        self.j = ConvBNReLU(4, 8)

    def forward(self, x, mode='tensor'):
        for name in 'abcdefghij':
            x = getattr(self, name)(x)
        return x


def test_only_projections_that_a_dense_conv_alone_reads_fold():
    net = trained_looking(_Net())
    assert foldable_projections(net) == [('a.1', 'b.0'), ('c.1', 'd.0')]


def test_the_folded_copy_computes_the_same_with_narrow_inputs():
    net = trained_looking(_Net())
    folded = with_projections_folded(net, mode='tensor')
    assert folded is not net and isinstance(net.a[1], nn.Conv2d)
    assert isinstance(folded.a[1], nn.Identity)
    assert folded.b[0].in_channels == 4 and folded.d[0].in_channels == 3
    assert folded.d[0].stride == (2, 2)
    images = torch.randn(2, 3, 16, 16)
    with torch.no_grad():
        torch.testing.assert_close(folded(images), net(images), rtol=1e-5,
                                   atol=1e-5)


def test_a_model_without_projections_is_returned_as_it_is():
    net = nn.Sequential(ConvBNReLU(3, 8), BasicBlock(8, 8)).eval()
    assert with_projections_folded(net) is net
    fold_projections(net, [])
    assert isinstance(net[0][0], nn.Conv2d)


class _Untraceable(nn.Module):
    """Control flow on a tensor, as mmcv's patch embedding (mmpretrain's
    ViT) has: torch.fx cannot trace it."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)

    def forward(self, x):
        return self.conv(x) if x.sum() > 0 else x


def test_a_model_without_projections_is_not_traced():
    # the plan search asks every student for its pairs: a ViT library's
    # search crashed on the trace though the ViT has nothing to fold
    assert foldable_projections(_Untraceable()) == []
