# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
import torch
from mmengine.config import Config

from mmrecast.utils import ConfigError, setup_runtime, unsafe_load_enabled
from mmrecast.utils.checkpoint import set_unsafe_load


@pytest.mark.skipif(torch.cuda.is_available(), reason='checks the CPU path')
def test_amp_on_cpu_is_a_one_line_error():
    cfg = Config(dict(optim_wrapper=dict(type='AmpOptimWrapper')))
    with pytest.raises(ConfigError, match='needs a CUDA GPU') as info:
        setup_runtime(cfg)
    assert '\n' not in str(info.value)


def test_unsafe_load_field_sets_the_policy():
    try:
        setup_runtime(Config(dict(unsafe_load=True, launcher='none')))
        assert unsafe_load_enabled()
        setup_runtime(Config(dict(unsafe_load=False, launcher='none')))
        assert not unsafe_load_enabled()
    finally:
        set_unsafe_load(None)
