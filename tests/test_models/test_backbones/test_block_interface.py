# Copyright (c) mmrecast contributors. All rights reserved.
"""The uniform block interface that recasting builds on."""
import pytest
import torch

from mmrecast.models import (CifarResNet, CifarVGG, ConvNet, DenseNetBC,
                             WideResNet)
from mmrecast.models.blocks import (BasicBlock, Bottleneck, ConvBNReLU,
                                    DenseBlock, Transition)
from mmrecast.utils.errors import ConfigError


@pytest.mark.parametrize('backbone, count, first, last, block_type', [
    (CifarResNet(56), 27, 'layer1.0', 'layer3.8', BasicBlock),
    (CifarResNet(83, block='bottleneck'), 27, 'layer1.0', 'layer3.8',
     Bottleneck),
    (ConvNet(20), 9, 'layer1.0', 'layer3.2', ConvBNReLU),
    (WideResNet(16, 2), 6, 'layer1.0', 'layer3.1', BasicBlock),
    (DenseNetBC(40), 5, 'stage1.0', 'stage3.0', DenseBlock),
    (CifarVGG(), 14, 'layer1.0', 'layer6.0', None),
])
def test_block_names(backbone, count, first, last, block_type):
    names = backbone.block_names()
    assert len(names) == count
    assert names[0] == first and names[-1] == last
    x = torch.randn(2, 3, 32, 32)
    for name in names:
        block = backbone.get_submodule(name)
        # what a recaster reads to build a target block
        assert block.in_channels > 0 and block.out_channels > 0
        assert block.stride in (1, 2)
        if block_type is not None and name != names[-1]:
            assert isinstance(block, (block_type, Transition))
    # chaining stem + blocks in order reproduces the forward
    backbone.eval()
    with torch.no_grad():
        out = backbone.stem(x)
        for stage in backbone.stage_names:
            out = getattr(backbone, stage)(out)
        assert torch.allclose(out, backbone(x)[-1])


def test_densenet_transitions_are_blocks():
    names = DenseNetBC(40).block_names()
    assert names == ['stage1.0', 'stage1.1', 'stage2.0', 'stage2.1',
                     'stage3.0']


def test_out_indices():
    outs = CifarResNet(20, out_indices=(0, 1, 2))(torch.randn(1, 3, 32, 32))
    assert [o.shape[1:] for o in outs] == [(16, 32, 32), (32, 16, 16),
                                           (64, 8, 8)]
    with pytest.raises(ConfigError,
                       match='CifarResNet: out_indices=3 is out of range'):
        CifarResNet(20, out_indices=3)


@pytest.mark.parametrize('build, message', [
    (lambda: CifarResNet(21), 'CifarResNet: depth=21 is not 6n \\+ 2.*use'),
    (lambda: CifarResNet(32, block='bottleneck'), 'is not 9n \\+ 2.*164'),
    (lambda: CifarResNet(20, block='dense'), "block='dense'; use 'basic'"),
    (lambda: CifarResNet(20, shortcut='C'), "shortcut='C'; use 'A'"),
    (lambda: WideResNet(27, 2), 'WideResNet: depth=27 is not 6n \\+ 4'),
    (lambda: DenseNetBC(99), 'DenseNetBC: depth=99 is not 6n \\+ 4'),
    (lambda: ConvNet(21), 'ConvNet: depth=21 is not 6n \\+ 2; use'),
    (lambda: ConvNet(20, widths=(16, 32)), 'widths=\\[16, 32\\] must give'),
])
def test_bad_arguments_are_explained(build, message):
    with pytest.raises(ConfigError, match=message):
        build()
