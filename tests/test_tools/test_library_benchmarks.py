# Copyright (c) mmrecast contributors. All rights reserved.
"""tools/benchmarks/library_run.py and library_step.py: a candidate
library against its recast pass, teacher-fed, as whole runs of the same
iterations and as bare training steps."""
import json
import re

import pytest

from tests.helpers import REPO, config_path, run_tool, run_tool_in_process

LIBRARY = config_path(
    'recast_search', 'recast-search_resnet20-akamaster_1xb64_cifar10-'
    'folder_library.py')
# the paper's block-by-block pass: the tool runs it teacher-fed
RECAST = config_path(
    'recasting', 'recast_backbone_resnet20-akamaster_convnet20_1xb64_'
    'cifar10-folder_recast.py')
TINY_LOADER = 'batch_size=8, num_workers=0, persistent_workers=False'


def _tiny_configs(folder, data_root, teacher) -> str:
    """The shipped library and its recast pass on tiny data, as configs of
    a user's own (the two nest their datasets differently, so one
    ``--cfg-options`` cannot point both at it)."""
    folder.mkdir()
    (folder / 'recast.py').write_text(
        f'_base_ = [{RECAST!r}]\n'
        f'model = dict(teacher_checkpoint={str(teacher)!r})\n'
        f'train_dataloader = dict(dataset=dict(data_root={str(data_root)!r}'
        f'), {TINY_LOADER})\n'
        f'val_dataloader = dict(dataset=dict(data_root={str(data_root)!r}'
        f'), {TINY_LOADER})\n')
    library = folder / 'library.py'
    library.write_text(
        f'_base_ = [{LIBRARY!r}]\n'
        f'model = dict(teacher_checkpoint={str(teacher)!r})\n'
        "search_cfg = dict(recast_config='recast.py')\n"
        'train_dataloader = dict(dataset=dict(num_splits=5, dataset=dict('
        f'data_root={str(data_root)!r})), {TINY_LOADER})\n')
    return str(library)


@pytest.mark.slow
def test_both_runs_train_as_long_and_the_ratio_is_of_their_walls(
        tmp_path, cifar10_tiny, resnet20_akamaster):
    library = _tiny_configs(tmp_path / 'configs', cifar10_tiny,
                            resnet20_akamaster)
    work = tmp_path / 'run'
    proc = run_tool(['benchmarks/library_run.py', '--config', library,
                     '--iters', 4, '--rounds', 1, '--work-dir', work],
                    cwd=REPO)
    assert proc.returncode == 0, proc.stdout[-3000:]
    result = json.loads((work / 'result.json').read_text())
    assert result['iters'] == 4
    assert result['recast_config'] == str(tmp_path / 'configs' / 'recast.py')
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
    # a second run into the same folder overwrites nothing
    again = run_tool(['benchmarks/library_run.py', '--config', library,
                      '--work-dir', work], cwd=REPO)
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
     'configs/recasting/recast.py: no such file or folder; check the path'),
    (['--cfg-options', 'search_cfg=None'],
     'error: search_cfg.recast_config is missing (see configs/recast_search/'
     'README.md)'),
    (['--rounds', '0'], "argument --rounds: '0': give a whole number of at "
     'least 1'),
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
