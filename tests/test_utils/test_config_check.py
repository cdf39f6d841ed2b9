# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
from mmengine.config import Config

from mmrecast.utils.config_check import check_config
from mmrecast.utils.errors import ConfigError
from tests.helpers import config_path

BASE = config_path('classification', 'resnet18-w16_1xb128_cifar10-folder.py')


def _config(tmp_path, body: str) -> Config:
    path = tmp_path / 'run.py'
    path.write_text(f'_base_ = [{BASE!r}]\n' + body)
    return Config.fromfile(str(path))


def test_misspelt_field_is_an_error(tmp_path):
    cfg = _config(tmp_path, 'trian_dataloader = dict(batch_size=2)\n')
    with pytest.raises(ConfigError, match='did you mean `train_dataloader`'):
        check_config(cfg)


def test_config_variables_are_accepted(tmp_path):
    """Top-level variables are how mmengine configs share values; one that
    is not close to a field name is not an error."""
    check_config(_config(tmp_path, "data_root = 'data/elsewhere'\n"))


@pytest.mark.parametrize('path, value', [
    ('train_cfg.max_iters', 0), ('train_dataloader.batch_size', -1),
    ('train_cfg.max_iters', 2.5)])
def test_counts_must_be_positive_integers(tmp_path, path, value):
    cfg = _config(tmp_path, '')
    cfg.merge_from_dict({path: value})
    with pytest.raises(ConfigError, match='positive integer'):
        check_config(cfg)
