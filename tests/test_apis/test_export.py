# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
import torch
from mmengine.config import Config

from mmrecast.apis import export as export_module
from mmrecast.apis import export_student
from mmrecast.apis.export import student_model_config
from mmrecast.registry import MODELS
from mmrecast.utils.errors import CheckpointFileError, ConfigError
from tests.helpers import config_path

FINETUNE = config_path(
    'recasting', 'recast_backbone_resnet20-akamaster_convnet20_1xb64_'
    'cifar10-folder_finetune.py')


def test_a_failed_export_leaves_nothing_that_blocks_the_next(
        tmp_path, monkeypatch):
    cfg = Config.fromfile(FINETUNE)
    weights = tmp_path / 'run.pth'
    student = MODELS.build(student_model_config(cfg.model.to_dict()))
    torch.save(dict(state_dict={f'student.{k}': v for k, v in
                                student.state_dict().items()}), weights)

    def broken(*args):
        raise RuntimeError('header failed')

    monkeypatch.setattr(export_module, '_header', broken)
    with pytest.raises(RuntimeError, match='header failed'):
        export_student(cfg, str(weights), str(tmp_path / 'export'))
    assert not (tmp_path / 'export' / 'student.py').exists()
    assert not (tmp_path / 'export' / 'student.pth').exists()


def test_weights_of_another_student_are_refused_and_nothing_written(
        tmp_path):
    cfg = Config.fromfile(FINETUNE)
    weights = tmp_path / 'run.pth'
    torch.save(dict(state_dict={'student.x': torch.zeros(1)}), weights)
    with pytest.raises(CheckpointFileError, match=r"run.pth \(its "
                       r"'student.' weights\) does not match .*use a "
                       'checkpoint of this config'):
        export_student(cfg, str(weights), str(tmp_path / 'export'))
    assert not (tmp_path / 'export' / 'student.py').exists()
    assert not (tmp_path / 'export' / 'student.pth').exists()


def test_a_work_dir_exports_its_latest_checkpoint(tmp_path):
    """A work dir, which tools/test.py takes, was 'no such file or
    folder' here."""
    cfg = Config.fromfile(FINETUNE)
    run = tmp_path / 'run'
    run.mkdir()
    with pytest.raises(CheckpointFileError, match=f'^checkpoint: {run} is a '
                       'folder without a last_checkpoint file'):
        export_student(cfg, str(run), str(tmp_path / 'export'))
    student = MODELS.build(student_model_config(cfg.model.to_dict()))
    torch.save(dict(state_dict={f'student.{k}': v for k, v in
                                student.state_dict().items()}),
               run / 'iter_8.pth')
    (run / 'last_checkpoint').write_text(str(run / 'iter_8.pth'))
    config, weights = export_student(cfg, str(run), str(tmp_path / 'export'))
    assert f'# source checkpoint: {run}/iter_8.pth' in open(config).read()
    exported = torch.load(weights)['state_dict']
    assert all(torch.equal(exported[k], v)
               for k, v in student.state_dict().items())


@pytest.mark.parametrize('model, says', [
    (dict(type='SingleTeacherDistill', teacher=dict(type='ImageClassifier')),
     'model.student is not in the config'),
    # a library exported by mistake: the way to a student is a plan
    (dict(type='CandidateLibrary'), 'choose a plan with '
     'tools/recast_search.py'),
    (dict(type='ConnectorPretrain'), "'ConnectorPretrain' trains "
     'connectors, not a student: export or evaluate the distill stage'),
])
def test_a_run_without_one_student_is_refused_in_one_line(model, says):
    # a KeyError once reached the user as a traceback
    with pytest.raises(ConfigError, match=says):
        student_model_config(model)
