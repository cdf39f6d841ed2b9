# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
from mmengine.config import Config

from mmrecast.utils.config_check import check_config, unused_keys
from mmrecast.utils.errors import ConfigError
from tests.helpers import config_path, leaf_configs

BASE = config_path('classification', 'resnet18-w16_1xb128_cifar10-folder.py')


def _config(tmp_path, body: str) -> Config:
    path = tmp_path / 'run.py'
    path.write_text(f'_base_ = [{BASE!r}]\n' + body)
    return Config.fromfile(str(path))


def test_a_stray_key_of_the_run_file_is_named(tmp_path):
    cfg = _config(tmp_path, (
        "my_loader = dict(type='Foo', batch_size=3)\n"
        "data_root = 'data/elsewhere'\n"
        'train_dataloader = dict(dataset=dict(data_root=data_root))\n'
        '_private_helper = [1, 2]\n'))
    # data_root is used by a field, the private helper is the user's
    assert unused_keys(cfg) == ['my_loader']


def test_inherited_variables_are_left_alone(tmp_path):
    cfg = _config(tmp_path, 'model = dict(head=dict(num_classes=10))\n')
    assert unused_keys(cfg) == []


@pytest.mark.parametrize('config', leaf_configs())
def test_shipped_configs_have_no_unused_keys(config):
    assert unused_keys(Config.fromfile(config_path(config))) == []


def test_misspelt_field_is_an_error(tmp_path):
    cfg = _config(tmp_path, 'trian_dataloader = dict(batch_size=2)\n')
    with pytest.raises(ConfigError, match='did you mean `train_dataloader`'):
        check_config(cfg)
