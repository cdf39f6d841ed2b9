# Copyright (c) mmrecast contributors. All rights reserved.
"""docs/search_a_plan.md, followed literally: its library config for the
torchvision ResNet-18 of docs/recast_your_own_network.md is priced by
tools/analysis/candidate_latency.py, trains with tools/train.py, and
tools/recast_search.py writes a plan whose fine-tune config builds; the
page's Python example then chooses more budgets with that search's
latency model."""
import json
import os
import re
import sys

import pytest
import torch
import torchvision
from mmengine.config import Config

from tests.helpers import REPO, run_command, run_tool

pytestmark = pytest.mark.slow  # runs the tools in subprocesses

DOCS = REPO / 'docs'


def _code_block(page: str, first_line: str) -> str:
    """The ```python block of ``page`` that starts with ``first_line``."""
    text = (DOCS / page).read_text()
    for block in re.findall(r'```python\n(.*?)```', text, re.S):
        if block.startswith(first_line):
            return block
    raise AssertionError(f'no code block starting {first_line!r} in {page}')


def test_doc_library_trains_and_the_search_writes_a_plan(
        tmp_path, cifar10_tiny):
    guide = 'recast_your_own_network.md'
    (tmp_path / 'my_recasters.py').write_text(
        _code_block(guide, '# my_recasters.py'))
    project = tmp_path / 'configs' / 'my_project'
    project.mkdir(parents=True)
    (tmp_path / 'configs' / '_base_').symlink_to(REPO / 'configs' / '_base_')
    for name, page in (('recast_resnet18', guide),
                       ('finetune_resnet18', guide),
                       ('library_resnet18', 'search_a_plan.md')):
        (project / f'{name}.py').write_text(
            _code_block(page, f'# configs/my_project/{name}.py')
            if name != 'finetune_resnet18' else _finetune_block(guide))
    (tmp_path / 'checkpoints').mkdir()
    torch.save(torchvision.models.resnet18(num_classes=10).state_dict(),
               tmp_path / 'checkpoints' / 'my_resnet18.pth')
    library = project / 'library_resnet18.py'
    tiny = [
        'train_dataloader.batch_size=8', 'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'train_dataloader.dataset.num_splits=5',
        f'train_dataloader.dataset.dataset.data_root={cifar10_tiny}'
    ]
    env = dict(PYTHONPATH=str(tmp_path))
    # priced before training, as the page says
    result = run_tool(['analysis/candidate_latency.py', library, '--batch',
                       2, '--timing-seconds', 1], cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stdout[-3000:]
    assert re.findall(r'^\| (teacher|all [\w.-]+) \|', result.stdout,
                      re.M) == ['teacher', 'all BasicBlockToConv',
                                'all BasicBlockSlim0.5', 'all BlockToShortcut']
    result = run_tool(['train.py', library, '--work-dir', tmp_path / 'lib',
                       '--cfg-options', 'train_cfg.max_iters=2', *tiny],
                      cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stdout[-3000:]
    result = run_tool([
        'recast_search.py', library, '--checkpoint', tmp_path / 'lib',
        '--budget', 'latency=0.7x', '--batch', 2, '--timing-seconds', 1,
        '--work-dir', tmp_path / 'search', '--cfg-options',
        'search_dataloader.batch_size=4', 'search_dataloader.num_workers=0',
        'search_dataloader.dataset.num_splits=5',
        f'search_dataloader.dataset.dataset.data_root={cifar10_tiny}'
    ], cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stdout[-3000:]
    search = json.loads((tmp_path / 'search' / 'search.json').read_text())
    _python_example_chooses_more_budgets(tmp_path, cifar10_tiny, env)
    # 8 blocks x 3 candidates, scored on the 8 held-out images
    assert len(search['candidates']) == 24
    finetune = Config.fromfile(  # my_recasters is on the tools' path only
        str(tmp_path / 'search' / 'plan_latency=0.7x' / 'finetune.py'),
        import_custom_modules=False)
    assert finetune.model.type == 'RecastFinetune'
    assert finetune.model.mode == 'parallel'
    assert finetune.model.init_from[0].checkpoint.endswith('student.pth')


def _python_example_chooses_more_budgets(tmp_path, data_root, env):
    """The page's PlanSearch example, on the tiny library and search of
    the test: the held-out images moved to the tiny data, the timings
    shortened; each budget's plan is printed within its budget."""
    code = _code_block('search_a_plan.md', 'from mmengine.runner import')
    edits = {
        "'configs/my_project/library_resnet18.py', None,":
        "'configs/my_project/library_resnet18.py', TINY,",
        "'work_dirs/library'": repr(str(tmp_path / 'lib')),
        "'work_dirs/search'": repr(str(tmp_path / 'search')),
        'seconds=10.0': 'seconds=1.0',
    }
    for old, new in edits.items():
        assert old in code, old
        code = code.replace(old, new)
    tiny = {'search_dataloader.batch_size': 4,
            'search_dataloader.num_workers': 0,
            'search_dataloader.dataset.num_splits': 5,
            'search_dataloader.dataset.dataset.data_root': str(data_root)}
    result = run_command([sys.executable, '-c', f'TINY = {tiny!r}\n{code}'],
                         tmp_path, 300, dict(os.environ, **env))
    assert result.returncode == 0, result.stdout[-3000:]
    search = json.loads((tmp_path / 'search' / 'search.json').read_text())
    teacher = search['table']['teacher_ms']
    for budget in ('0.6', '0.4'):
        line = re.search(rf'^latency={budget}x {{.*}} ([\d.]+) ms$',
                         result.stdout, re.M)
        assert line, result.stdout[-3000:]
        # within the budget as the latency model predicts it
        assert float(line.group(1)) <= float(budget) * teacher + 0.01


def _finetune_block(page: str) -> str:
    """The guide's fine-tune config (its block names the file in a line
    above it)."""
    text = (DOCS / page).read_text()
    return re.search(
        r'`configs/my_project/finetune_resnet18.py`.*?```python\n(.*?)```',
        text, re.S).group(1)
