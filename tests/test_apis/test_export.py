# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
import torch
from mmengine.config import Config

from mmrecast.apis import export as export_module
from mmrecast.apis import export_student
from tests.helpers import config_path

FINETUNE = config_path(
    'recasting', 'recast_backbone_resnet20-akamaster_convnet20_1xb64_'
    'cifar10-folder_finetune.py')


def test_a_failed_export_leaves_nothing_that_blocks_the_next(
        tmp_path, monkeypatch):
    cfg = Config.fromfile(FINETUNE)
    weights = tmp_path / 'run.pth'
    torch.save(dict(state_dict={'student.x': torch.zeros(1)}), weights)

    def broken(*args):
        raise RuntimeError('header failed')

    monkeypatch.setattr(export_module, '_header', broken)
    with pytest.raises(RuntimeError, match='header failed'):
        export_student(cfg, str(weights), str(tmp_path / 'export'))
    assert not (tmp_path / 'export' / 'student.py').exists()
    assert not (tmp_path / 'export' / 'student.pth').exists()
