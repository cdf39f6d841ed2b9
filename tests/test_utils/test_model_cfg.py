# Copyright (c) mmrecast contributors. All rights reserved.
from mmengine.config import Config

from mmrecast.utils import runner_model_cfg


def _cfg(**model) -> Config:
    return Config(dict(model=dict(type='ImageClassifier', **model),
                       data_preprocessor=dict(mean=[1.0], std=[2.0])))


def test_the_top_level_preprocessor_is_merged_as_the_runner_does():
    cfg = _cfg(teacher_checkpoint='t.pth')
    model = runner_model_cfg(cfg, drop=['teacher_checkpoint'])
    assert model['data_preprocessor'] == dict(mean=[1.0], std=[2.0])
    assert 'teacher_checkpoint' not in model
    # a copy: the config itself is as it was
    assert 'data_preprocessor' not in cfg.model
    assert cfg.model.teacher_checkpoint == 't.pth'


def test_the_model_s_own_preprocessor_wins():
    own = dict(mean=[0.0], std=[1.0])
    cfg = _cfg(data_preprocessor=own)
    assert runner_model_cfg(cfg)['data_preprocessor'] == own


def test_no_top_level_preprocessor_adds_none():
    cfg = _cfg()
    cfg.data_preprocessor = None
    assert 'data_preprocessor' not in runner_model_cfg(cfg)
