# Copyright (c) mmrecast contributors. All rights reserved.
import re

import pytest
from mmengine.config import Config

from mmrecast.utils.config_loader import build_config_loader
from mmrecast.utils.errors import ConfigError


@pytest.mark.parametrize('cfg', [{}, dict(test_dataloader=None)])
def test_a_missing_loader_is_one_line_naming_what_reads_it(cfg):
    # mmengine's Runner.build_dataloader(None) is an AttributeError
    with pytest.raises(ConfigError, match='^test_dataloader is not set in '
                       'the config: the export reads it$'):
        build_config_loader(Config(cfg), 'test_dataloader',
                            'the export reads it')


def test_a_loader_is_built_as_the_runner_builds_it():
    cfg = Config(dict(test_dataloader=dict(
        batch_size=2, dataset=list(range(5)),
        sampler=dict(type='DefaultSampler', shuffle=False))))
    loader = build_config_loader(cfg, 'test_dataloader', 'unused')
    assert [len(batch) for batch in loader] == [2, 2, 1]
    assert cfg.test_dataloader.batch_size == 2  # the config is left as is


def test_an_empty_held_out_fold_is_one_line(cifar10_tiny):
    """A fold of 1/50 of a small data set holds no image: the sampler's
    ZeroDivisionError came after minutes of a search's latency timing."""
    from mmrecast.apis import register_all_modules
    register_all_modules()
    cfg = Config(dict(search_dataloader=dict(
        batch_size=2,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(
            type='KFoldDataset', _scope_='mmpretrain', fold=0,
            num_splits=50, test_mode=True,
            dataset=dict(type='CustomDataset', _scope_='mmpretrain',
                         data_root=str(cifar10_tiny), data_prefix='train',
                         pipeline=[])))))
    with pytest.raises(ConfigError, match=re.escape(
            'search_dataloader: its dataset holds no images (the held-out '
            'images); check its data_root and data_prefix, or a held-out '
            'fold of a data set too small for its num_splits')):
        build_config_loader(cfg, 'search_dataloader', 'the held-out images')
    cfg.search_dataloader.dataset.num_splits = 2
    assert len(build_config_loader(cfg, 'search_dataloader', '').dataset)
