# Copyright (c) mmrecast contributors. All rights reserved.
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
