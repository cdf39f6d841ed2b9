# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
from mmengine.config import Config

from mmrecast.search import (Budget, SearchSettings, parse_budget,
                             search_settings)
from mmrecast.utils.errors import ConfigError
from tests.helpers import config_path


def test_a_config_without_settings_leaves_the_options_to_decide():
    assert search_settings({}) == SearchSettings(None, None, None)


def test_the_factorized_libraries_name_their_batch_1_search():
    for depth in (20, 44):
        cfg = Config.fromfile(config_path(
            'recast_search', f'recast-search_resnet{depth}-akamaster_1xb64_'
            'cifar10-folder_library-factorized.py'))
        settings = search_settings(cfg.search_cfg)
        assert settings == SearchSettings(
            [Budget('latency', f, True) for f in (0.7, 0.5, 0.35)],
            'onnxruntime', 1)
        # and keep the recast configs of the library they derive from
        assert cfg.search_cfg.recast_config.endswith('recast-parallel.py')


@pytest.mark.parametrize('settings, says', [
    (dict(budgets='latency=0.5x'), "search_cfg.budgets='latency=0.5x': give "
     'a list of budgets'),
    (dict(budgets=[]), 'search_cfg.budgets=[]: give a list'),
    (dict(budgets=['latency=0.5']), "search_cfg.budgets 'latency=0.5': a "
     'latency needs its unit'),
    (dict(runtime='ort'), "search_cfg.runtime='ort': give one of torch, "
     'onnxruntime'),
    (dict(batch=0), 'search_cfg.batch=0: give the batch size'),
    (dict(batch=True), 'search_cfg.batch=True: give the batch size'),
])
def test_a_wrong_setting_is_one_line_naming_it(settings, says):
    with pytest.raises(ConfigError) as error:
        search_settings(settings)
    assert str(error.value).startswith(says)


def test_the_command_line_names_its_budget_errors_as_before():
    with pytest.raises(ConfigError, match=r"^--budget 'latency=2': a latency"):
        parse_budget('latency=2')


def test_the_command_line_then_the_config_then_the_defaults_decide():
    none = SearchSettings(None, None, None)
    assert none.timing() == ('torch', 64, 1)
    named = SearchSettings(None, 'onnxruntime', 4)
    assert named.timing() == ('onnxruntime', 4, 1)
    assert named.timing('torch', None, 16) == ('torch', 4, 16)
    assert named.timing(None, 2) == ('onnxruntime', 2, 1)
    assert SearchSettings(None, 'onnxruntime', None).timing() == (
        'onnxruntime', 1, 64)
