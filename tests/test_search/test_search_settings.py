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
    (dict(score='acc'), "search_cfg.score='acc': give one of kl, mse, top1"),
    (dict(score_pairs=1), 'search_cfg.score_pairs=1: give True or False'),
    (dict(calibrate=-1), 'search_cfg.calibrate=-1: give how many times'),
    (dict(rerank=0), 'search_cfg.rerank=0: give how many best plans'),
    (dict(samples=2.5), 'search_cfg.samples=2.5: give how many random'),
    (dict(timing_seconds=0), 'search_cfg.timing_seconds=0: give the seconds'),
    (dict(timing_seconds='5'), "search_cfg.timing_seconds='5': give the"),
    (dict(max_batches=0), 'search_cfg.max_batches=0: give how many held-out'),
    (dict(report_batch=0), 'search_cfg.report_batch=0: give the second'),
])
def test_a_wrong_setting_is_one_line_naming_it(settings, says):
    with pytest.raises(ConfigError) as error:
        search_settings(settings)
    assert str(error.value).startswith(says)


def test_the_command_line_names_its_budget_errors_as_before():
    with pytest.raises(ConfigError, match=r"^--budget 'latency=2': a latency"):
        parse_budget('latency=2')


def test_the_batch_sizes_follow_the_runtime_where_none_is_given():
    def timing(settings, **given):
        s = settings.resolved(given)
        return s.runtime, s.batch, s.report_batch

    none = SearchSettings()
    assert timing(none) == ('torch', 64, 1)
    named = SearchSettings(runtime='onnxruntime', batch=4)
    assert timing(named) == ('onnxruntime', 4, 1)
    assert timing(named, runtime='torch', report_batch=16) == ('torch', 4, 16)
    assert timing(named, batch=2) == ('onnxruntime', 2, 1)
    assert timing(SearchSettings(runtime='onnxruntime')) == (
        'onnxruntime', 1, 64)


def test_each_setting_is_the_command_line_s_else_the_config_s_else_default():
    defaults = SearchSettings().resolved({})
    assert defaults == SearchSettings(
        [Budget('latency', 0.5, True)], 'torch', 64, 1, 'kl', False, 3, 1,
        None, 20.0, None)
    config = search_settings(dict(
        budgets=['params=0.5x'], runtime='onnxruntime', score='mse',
        score_pairs=True, calibrate=0, rerank=4, samples=30,
        timing_seconds=2.5, max_batches=3))
    assert config.resolved({}) == SearchSettings(
        [Budget('params', 0.5, True)], 'onnxruntime', 1, 64, 'mse', True, 0,
        4, 30, 2.5, 3)
    given = dict(budgets=[Budget('macs', 0.3, True)], runtime='torch',
                 batch=8, report_batch=2, score='top1', score_pairs=False,
                 calibrate=1, rerank=2, samples=0, timing_seconds=1.0,
                 max_batches=1)
    assert config.resolved(given) == SearchSettings(**given)
    # None is "not given", not a value; other keys (the tool's) are ignored
    assert config.resolved(dict(rerank=None, device='cpu')).rerank == 4
