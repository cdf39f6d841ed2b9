# Copyright (c) mmrecast contributors. All rights reserved.
"""Crashes at the worst instants of checkpointing: --resume falls back to
the newest intact checkpoint and the run ends bit-identical to one that was
never interrupted."""
import os
import shutil

import pytest
import torch
from mmengine.config import Config

from mmrecast.utils import load_checkpoint_file
from tests.helpers import REPO, config_path, data_root_options, run_tool

CONFIG = config_path('classification',
                     'resnet18-w16_1xb128_cifar10-folder.py')
FAST = [
    'train_dataloader.batch_size=8', 'train_dataloader.num_workers=0',
    'train_dataloader.persistent_workers=False', 'val_dataloader=None',
    'val_cfg=None', 'val_evaluator=None', 'default_hooks.logger.interval=1',
    'default_hooks.checkpoint.interval=1',
    'default_hooks.checkpoint.max_keep_ckpts=1', 'randomness.seed=0'
]


def _train(work_dir, data, *extra, config=CONFIG, code=0):
    proc = run_tool([
        'train.py', config, '--work-dir', work_dir, *extra, '--cfg-options',
        'train_cfg.max_iters=4', *FAST, *data
    ], cwd=work_dir, env=dict(PYTHONPATH=str(REPO)))
    assert proc.returncode == code, proc.stdout[-3000:]
    return proc


@pytest.fixture(scope='module')
def straight(tmp_path_factory, cifar10_tiny):
    """4 iterations, never interrupted, one checkpoint kept."""
    work_dir = tmp_path_factory.mktemp('straight')
    _train(work_dir, data_root_options(cifar10_tiny)[:1])
    assert sorted(p.name for p in work_dir.glob('*.pth')) == ['iter_4.pth']
    return load_checkpoint_file(work_dir / 'iter_4.pth')['state_dict']


@pytest.fixture(scope='module')
def killed(tmp_path_factory, cifar10_tiny):
    """The work dir of a run killed after iteration 2: iter_2.pth is kept
    (max_keep_ckpts=1). Each case damages a copy of it."""
    root = tmp_path_factory.mktemp('killed')
    work_dir = root / 'run'
    work_dir.mkdir()
    cfg = Config.fromfile(CONFIG)
    cfg.custom_imports = dict(imports=['tests.data.kill_hook'])
    cfg.custom_hooks = [dict(type='KillAtIteration', iteration=2)]
    cfg.dump(str(root / 'killed.py'))
    _train(work_dir, data_root_options(cifar10_tiny)[:1],
           config=root / 'killed.py', code=3)
    return work_dir


@pytest.mark.slow
@pytest.mark.parametrize('damage', [
    'empty pointer', 'dangling pointer', 'torn latest checkpoint',
    'killed between writing the new file and removing the old one'
])
def test_resume_falls_back_and_ends_bit_identical(straight, killed, tmp_path,
                                                  cifar10_tiny, damage):
    data = data_root_options(cifar10_tiny)[:1]
    work_dir = tmp_path / 'run'
    shutil.copytree(killed, work_dir)
    # the pointer names the file by its absolute path in the killed run
    pointer = work_dir / 'last_checkpoint'
    pointer.write_text(str(work_dir / 'iter_2.pth'))
    intact = work_dir / 'iter_2.pth'
    if damage == 'empty pointer':
        pointer.write_text('')
    elif damage == 'dangling pointer':
        pointer.write_text(str(work_dir / 'iter_3.pth'))
    elif damage == 'torn latest checkpoint':
        torn = work_dir / 'iter_3.pth'
        torn.write_bytes(intact.read_bytes()[:5000])
        pointer.write_text(str(torn))
    else:
        # the new file is complete under its temporary name, the pointer
        # and the old file are as they were: what a kill leaves there
        (work_dir / 'iter_3.pth.part').write_bytes(intact.read_bytes())
    proc = _train(work_dir, data, '--resume')
    if damage != 'killed between writing the new file and removing the ' \
            'old one':
        assert f'resuming from {intact}, the newest intact one' \
            in proc.stdout
    assert 'resumed epoch: 0, iter: 2' in proc.stdout
    resumed = load_checkpoint_file(work_dir / 'iter_4.pth')['state_dict']
    assert resumed.keys() == straight.keys()
    for key, value in straight.items():
        assert torch.equal(resumed[key], value), key


@pytest.mark.slow
def test_old_checkpoint_is_removed_only_after_the_new_one_is_complete(
        tmp_path, cifar10_tiny):
    """With max_keep_ckpts=1, while iter_3 is written iter_2 still exists
    (mmengine removes it first)."""
    work_dir = tmp_path / 'run'
    work_dir.mkdir()
    hook = tmp_path / 'watch.py'
    hook.write_text('''
import os
import shutil
from mmengine.hooks import Hook
from mmrecast.registry import HOOKS


@HOOKS.register_module()
class Watch(Hook):
    def before_save_checkpoint(self, runner, checkpoint):
        names = sorted(n for n in os.listdir(runner.work_dir)
                       if n.endswith('.pth'))
        print('on disk while saving:', names, flush=True)
''')
    cfg = Config.fromfile(CONFIG)
    assert cfg.default_hooks.checkpoint.type == 'RecastCheckpointHook'
    cfg.custom_imports = dict(imports=['watch'])
    cfg.custom_hooks = [dict(type='Watch')]
    cfg.dump(str(tmp_path / 'watched.py'))
    proc = run_tool([
        'train.py', tmp_path / 'watched.py', '--work-dir', work_dir,
        '--cfg-options', 'train_cfg.max_iters=3', *FAST,
        *data_root_options(cifar10_tiny)[:1]
    ], cwd=tmp_path, env=dict(PYTHONPATH=str(tmp_path)))
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "on disk while saving: ['iter_2.pth']" in proc.stdout
    assert sorted(os.listdir(work_dir)).count('iter_3.pth') == 1
    assert not list(work_dir.glob('*.part'))
