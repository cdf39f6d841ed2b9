# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
from mmengine.config import Config

from mmrecast.utils.config_check import check_config, unused_variables
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


def test_variable_that_nothing_reads_is_named_with_its_line(tmp_path, capsys):
    # the base's dataloader was built before this line: it does nothing
    cfg = _config(
        tmp_path, "data_root = 'data/cifar'\n"
        'train_dataloader = dict(dataset=dict(data_root=data_root))\n'
        "train_pipeline = [dict(type='PackInputs')]\n")
    check_config(cfg)
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f'warning: {tmp_path}/run.py:4: train_pipeline is not a '
                   'config field and nothing in the file reads it (its '
                   '_base_ files cannot); a misspelt field?']


def test_every_shipped_config_reads_its_variables():
    from tests.helpers import leaf_configs
    assert {c: unused_variables(config_path(c))
            for c in leaf_configs()
            if unused_variables(config_path(c))} == {}


def test_a_flattened_dump_is_not_checked(tmp_path):
    cfg = _config(tmp_path, "data_root = 'data/cifar'\n")
    cfg.dump(str(tmp_path / 'dump.py'))
    assert unused_variables(str(tmp_path / 'run.py')) == [('data_root', 2)]
    assert unused_variables(str(tmp_path / 'dump.py')) == []


@pytest.mark.parametrize('path, value', [
    ('train_cfg.max_iters', 0), ('train_dataloader.batch_size', -1),
    ('train_cfg.max_iters', 2.5)])
def test_counts_must_be_positive_integers(tmp_path, path, value):
    cfg = _config(tmp_path, '')
    cfg.merge_from_dict({path: value})
    with pytest.raises(ConfigError, match='positive integer'):
        check_config(cfg)
