# Copyright (c) mmrecast contributors. All rights reserved.
"""AutocastOptimWrapper: bfloat16 forwards inside its context, float32
everywhere else, built by name from a config."""
import pytest
import torch
import torch.nn as nn
from mmengine.optim import build_optim_wrapper
from mmengine.registry import DefaultScope

from mmrecast.engine import AutocastOptimWrapper
from mmrecast.utils.errors import ConfigError


def _build(**kwargs) -> tuple:
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.Flatten(), nn.LazyLinear(2))
    model(torch.zeros(1, 3, 6, 6))  # materialise the lazy layer
    with DefaultScope.overwrite_default_scope('mmrecast'):
        wrapper = build_optim_wrapper(
            model,
            dict(
                type='AutocastOptimWrapper',
                optimizer=dict(type='SGD', lr=0.1),
                **kwargs))
    return model, wrapper


def test_forward_in_bfloat16_weights_in_float32():
    model, wrapper = _build()
    assert isinstance(wrapper, AutocastOptimWrapper)
    x = torch.randn(2, 3, 6, 6)
    before = [p.detach().clone() for p in model.parameters()]
    with wrapper.optim_context(model):
        out = model(x)
    assert out.dtype == torch.bfloat16
    wrapper.update_params(out.float().square().mean())
    for param, old in zip(model.parameters(), before):
        assert param.dtype == torch.float32
        assert not torch.equal(param, old)  # the step happened
    assert model(x).dtype == torch.float32  # outside the context


def test_float16_is_refused_in_one_line():
    with pytest.raises(ConfigError, match=r"optim_wrapper\.dtype: 'float16'"):
        _build(dtype='float16')
