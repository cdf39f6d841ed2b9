# Copyright (c) mmrecast contributors. All rights reserved.
"""tools/benchmarks/library_run.py and library_step.py: a candidate
library against its recast pass, teacher-fed, as whole runs of the same
iterations and as bare training steps."""
import json
import os.path as osp
import re

import pytest
from mmengine.config import Config

from tests.helpers import REPO, config_path, run_tool, run_tool_in_process

LIBRARY = config_path(
    'recast_search', 'recast-search_resnet20-akamaster_1xb64_cifar10-'
    'folder_library.py')
# the paper's block-by-block pass: the tool runs it teacher-fed
RECAST = config_path(
    'recasting', 'recast_backbone_resnet20-akamaster_convnet20_1xb64_'
    'cifar10-folder_recast.py')
TINY_LOADER = ['batch_size=8', 'num_workers=0', 'persistent_workers=False']


def _tiny_options(data_root, teacher) -> list:
    """The shipped library and the paper's recast pass on tiny data: the
    options of both, then of each (they nest their datasets
    differently)."""
    return [
        '--cfg-options', f'model.teacher_checkpoint={teacher}',
        *(f'train_dataloader.{o}' for o in TINY_LOADER),
        '--library-cfg-options', f'search_cfg.recast_config={RECAST}',
        'train_dataloader.dataset.num_splits=5',
        f'train_dataloader.dataset.dataset.data_root={data_root}',
        '--recast-cfg-options',
        *(f'{split}_dataloader.dataset.data_root={data_root}'
          for split in ('train', 'val')),
        *(f'val_dataloader.{o}' for o in TINY_LOADER)
    ]


@pytest.mark.slow
def test_both_runs_train_as_long_and_the_ratio_is_of_their_walls(
        tmp_path, cifar10_tiny, resnet20_akamaster):
    work = tmp_path / 'run'
    proc = run_tool(['benchmarks/library_run.py', '--iters', 4, '--rounds',
                     1, '--work-dir', work,
                     *_tiny_options(cifar10_tiny, resnet20_akamaster)],
                    cwd=REPO)
    assert proc.returncode == 0, proc.stdout[-3000:]
    result = json.loads((work / 'result.json').read_text())
    assert result['iters'] == 4
    assert result['recast_config'] == RECAST
    walls = {name: seconds for name, (seconds, ) in result['wall_s'].items()}
    assert result['wall_ratio'] == pytest.approx(
        walls['library'] / walls['recast'])
    assert f'run: {result["wall_ratio"]:.2f} (wall time' in proc.stdout
    # the library's own loop and the recast loop, teacher-fed (one stage
    # of 4, not 9 of 4 as the config's sequential pass), each ran 4
    # iterations, and logged the pace of each
    for name in ('library', 'recast'):
        log = (work / f'round1_{name}.log').read_text()
        assert re.findall(r'Iter\(train\) \[(\d)/(\d)\]', log) == [
            (str(i), '4') for i in range(1, 5)
        ], name
    assert len((work / 'commands.sh').read_text().splitlines()) == 2
    # each ran on the tiny data: its own options reached it
    for name, config in (('library', LIBRARY), ('recast', RECAST)):
        dumped = Config.fromfile(
            str(work / f'round1_{name}' / osp.basename(config)))
        dataset = dumped.train_dataloader.dataset
        if name == 'library':
            dataset = dataset.dataset
        assert dataset.data_root == str(cifar10_tiny), name
    # a second run into the same folder overwrites nothing
    again = run_tool(['benchmarks/library_run.py', '--work-dir', work],
                     cwd=REPO)
    assert again.returncode == 2
    assert again.stdout.strip().splitlines() == [
        f'error: --work-dir {work}: not empty; choose a new folder (nothing '
        'in it is overwritten)'
    ]


@pytest.mark.parametrize('args, line', [
    (['--config', config_path('resnet_cifar',
                              'resnet20_akamaster_cifar10-folder.py')],
     "error: model.type='ImageClassifier': library_run.py needs a "
     'CandidateLibrary config (configs/recast_search/*_library*.py)'),
    (['--cfg-options', 'search_cfg.recast_config=../recasting/recast.py'],
     'configs/recasting/recast.py: no such config file; check the path'),
    (['--cfg-options', 'search_cfg=None'],
     'error: search_cfg.recast_config is missing (see configs/recast_search/'
     'README.md)'),
    (['--rounds', '0'], "argument --rounds: '0': give a whole number of at "
     'least 1'),
    (['--recast-cfg-options', 'model.teacher_checkpont=x'],
     'error: model.teacher_checkpont: not an argument of BlockRecast; did '
     'you mean `teacher_checkpoint`?'),
])
def test_a_wrong_request_is_one_line_before_any_run(tmp_path, args, line):
    code, out, err = run_tool_in_process(
        'benchmarks/library_run.py',
        [*args, '--work-dir', tmp_path / 'run'])
    assert code == 2
    assert line in err.strip().splitlines()[-1]
    assert out == ''
    assert not (tmp_path / 'run').exists()


def test_the_step_benchmark_also_times_the_pass_teacher_fed(tmp_path):
    # a library whose recast config is the paper's block-by-block pass
    config = tmp_path / 'library.py'
    config.write_text(f'_base_ = [{LIBRARY!r}]\n'
                      f'search_cfg = dict(recast_config={RECAST!r})\n')
    code, out, err = run_tool_in_process(
        'benchmarks/library_step.py',
        ['--config', config, '--reps', 1, '--batch', 2])
    assert code == 0, err
    # all nine targets in one stage, not the first block alone
    assert re.search(r'^recast pass, parallel: backbone.layer1.0 -> .*, '
                     r'\.\.\. \(9 blocks\)$', out, re.M), out
    assert re.search(r'^library / recast pass: \d+\.\d\d ', out, re.M)
