# Copyright (c) mmrecast contributors. All rights reserved.
from mmengine.config import Config

from mmrecast.utils import setup_runtime, unsafe_load_enabled
from mmrecast.utils.checkpoint import set_unsafe_load


def test_unsafe_load_field_sets_the_policy():
    try:
        setup_runtime(Config(dict(unsafe_load=True, launcher='none')))
        assert unsafe_load_enabled()
        setup_runtime(Config(dict(unsafe_load=False, launcher='none')))
        assert not unsafe_load_enabled()
    finally:
        set_unsafe_load(None)
