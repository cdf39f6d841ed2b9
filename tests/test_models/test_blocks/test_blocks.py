# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
import torch

from mmrecast.models.blocks import (BasicBlock, Bottleneck, DenseBlock,
                                    Transition, ZeroPadShortcut)
from mmrecast.utils.errors import ConfigError


def test_zero_pad_shortcut_is_option_a():
    x = torch.randn(2, 16, 8, 8)
    out = ZeroPadShortcut(16, 32, 2)(x)
    assert out.shape == (2, 32, 4, 4)
    # the input sits in the middle channels, subsampled; the rest is zero
    assert torch.equal(out[:, 8:24], x[:, :, ::2, ::2])
    assert not out[:, :8].any() and not out[:, 24:].any()
    with pytest.raises(ConfigError, match="cannot reduce channels.*'B'"):
        ZeroPadShortcut(32, 16, 1)


@pytest.mark.parametrize('shortcut, params', [('A', 0), ('B', 16 * 32 + 64)])
def test_basic_block_shortcuts(shortcut, params):
    block = BasicBlock(16, 32, 2, shortcut)
    assert sum(p.numel() for p in block.shortcut.parameters()) == params
    assert block(torch.randn(2, 16, 8, 8)).shape == (2, 32, 4, 4)


def test_bottleneck_shapes():
    block = Bottleneck(64, 32, 128, stride=2)
    assert block.conv2.stride == (2, 2)
    assert block(torch.randn(1, 64, 8, 8)).shape == (1, 128, 4, 4)


def test_dense_block_ends_post_activation():
    block = DenseBlock(24, 4, 12)
    out = block(torch.randn(2, 24, 8, 8))
    assert out.shape == (2, 24 + 4 * 12, 8, 8) and (out >= 0).all()
    trans = Transition(72, 36)
    assert trans[0].bias is not None
    assert trans(out).shape == (2, 36, 4, 4)
