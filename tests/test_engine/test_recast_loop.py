# Copyright (c) mmrecast contributors. All rights reserved.
"""RecastLoop through tools/train.py: stages, checkpoints, kill and resume."""
import os.path as osp
import re

import pytest
import torch
from mmengine.config import Config

from mmrecast.utils import load_checkpoint_file
from tests.helpers import REPO, config_path, find_checkpoint, run_tool

RECAST = config_path(
    'recasting', 'recast_backbone_resnet20-akamaster_convnet20_1xb64_'
    'cifar10-folder_recast.py')
FINETUNE = RECAST.replace('_recast.py', '_finetune.py')


@pytest.fixture(scope='module')
def teacher(tmp_path_factory):
    out = tmp_path_factory.mktemp('teacher') / 'resnet20.pth'
    proc = run_tool([
        'model_converters/akamaster_resnet_to_mmrecast.py',
        find_checkpoint('resnet20-'), out
    ], cwd=out.parent)
    assert proc.returncode == 0, proc.stdout[-2000:]
    return out


def _config(tmp_path, data_root, teacher, kill_at=None, source=RECAST):
    """The recast config on tiny data: 3 stages (layer1) x 2 iterations."""
    cfg = Config.fromfile(source)
    cfg.model.teacher_checkpoint = str(teacher)
    cfg.model.plan.steps[0].blocks = 'backbone.layer1.*'
    if source == RECAST:
        cfg.train_cfg.iters_per_stage = 2
    for split in ('train', 'val'):
        loader = cfg[f'{split}_dataloader']
        loader.dataset.data_root = str(data_root)
        loader.batch_size = 8
        loader.num_workers = 0
        loader.persistent_workers = False
    cfg.test_dataloader = cfg.val_dataloader
    cfg.default_hooks.checkpoint.interval = 1
    cfg.default_hooks.checkpoint.max_keep_ckpts = -1
    cfg.default_hooks.logger.interval = 1
    cfg.randomness = dict(seed=0, deterministic=False)
    if kill_at is not None:
        cfg.custom_imports = dict(imports=['tests.data.kill_hook'])
        cfg.custom_hooks = [dict(type='KillAtIteration', iteration=kill_at)]
    path = tmp_path / f'{osp.basename(source)[:-3]}_kill{kill_at}.py'
    cfg.dump(str(path))
    return path


def _train(config, work_dir, *extra):
    return run_tool(['train.py', config, '--work-dir', work_dir, *extra],
                    cwd=work_dir, env=dict(PYTHONPATH=str(REPO)))


@pytest.fixture(scope='module')
def recast_run(tmp_path_factory, cifar10_tiny, teacher):
    """One recast run (3 stages) and its output."""
    work_dir = tmp_path_factory.mktemp('recast')
    proc = _train(_config(work_dir, cifar10_tiny, teacher), work_dir)
    assert proc.returncode == 0, proc.stdout[-3000:]
    return work_dir, proc


def test_stages_checkpoints_and_progress(recast_run):
    tmp_path, proc = recast_run
    assert len(re.findall(r'Recast stage \d/3', proc.stdout)) == 3
    assert proc.stdout.count('accuracy/top1') >= 3  # after every stage
    for stage in (1, 2, 3):
        state = load_checkpoint_file(tmp_path / f'stage_{stage}.pth')
        assert int(state['state_dict']['recast_stage']) == stage
        assert state['meta']['iter'] == 2 * stage
    # progress a person can follow: per-stage scalars and the chart
    assert (tmp_path / 'recast_progress.png').stat().st_size > 1000
    scalars = list(tmp_path.glob('*/vis_data/scalars.json'))
    assert scalars, 'no scalars written by the visualizer'
    lines = scalars[0].read_text().splitlines()
    per_stage = [line for line in lines if 'recast/mse' in line]
    assert len(per_stage) == 3 and all('recast/top1' in line
                                       for line in per_stage)
    assert list(tmp_path.glob('*/vis_data/vis_image/recast_progress_3.png'))


def test_killed_and_resumed_run_ends_with_the_same_weights(
        tmp_path, cifar10_tiny, teacher):
    straight = tmp_path / 'straight'
    straight.mkdir()
    proc = _train(_config(tmp_path, cifar10_tiny, teacher), straight)
    assert proc.returncode == 0, proc.stdout[-3000:]

    broken = tmp_path / 'broken'
    broken.mkdir()
    # killed mid-stage 2 (iteration 3 of 6), right after its checkpoint
    proc = _train(
        _config(tmp_path, cifar10_tiny, teacher, kill_at=3), broken)
    assert proc.returncode == 3, proc.stdout[-3000:]
    assert not (broken / 'iter_6.pth').exists()
    proc = _train(
        _config(tmp_path, cifar10_tiny, teacher), broken, '--resume')
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert 'resumed epoch: 0, iter: 3' in proc.stdout
    assert 'resumed at iteration 3' in proc.stdout

    a = load_checkpoint_file(straight / 'iter_6.pth')['state_dict']
    b = load_checkpoint_file(broken / 'iter_6.pth')['state_dict']
    assert a.keys() == b.keys()
    for key in a:
        assert torch.equal(a[key], b[key]), key


def test_finetune_export_evaluate(recast_run, tmp_path, cifar10_tiny,
                                  teacher):
    """The fine-tune stage takes the recast student, and the exported
    student is evaluated by tools/test.py alone."""
    recast_dir, _ = recast_run
    cfg = Config.fromfile(
        _config(tmp_path, cifar10_tiny, teacher, source=FINETUNE))
    cfg.model.init_from[0].checkpoint = str(recast_dir)
    cfg.train_cfg.max_iters = 2
    cfg.train_cfg.val_interval = 2
    finetune = tmp_path / 'finetune.py'
    cfg.dump(str(finetune))
    proc = _train(finetune, tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert re.search(r'loss_cls: [\d.]+\s+loss_logits: [\d.]+', proc.stdout)
    # the hand-over loaded the recast student (layer1 is plain convs now)
    tuned = load_checkpoint_file(tmp_path / 'iter_2.pth')['state_dict']
    assert 'student.backbone.layer1.0.0.weight' in tuned

    proc = run_tool(['export_student.py', finetune, tmp_path / 'iter_2.pth',
                     tmp_path / 'export'], cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-2000:]
    exported = Config.fromfile(str(tmp_path / 'export' / 'student.py'))
    assert exported.model.type == 'mmrecast.RecastedClassifier'
    proc = run_tool([
        'test.py', tmp_path / 'export' / 'student.py',
        tmp_path / 'export' / 'student.pth', '--work-dir', tmp_path
    ], cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert re.search(r'accuracy/top1: [\d.]+', proc.stdout)
