# Copyright (c) mmrecast contributors. All rights reserved.
"""docs/recast_your_own_network.md, followed literally: its recaster file
and its config, taken from the page, recast a torchvision ResNet-18 with
tools/train.py (a few iterations per stage, real CIFAR-10 images)."""
import re
from pathlib import Path

import pytest
import torch
import torchvision

from mmrecast.utils import load_checkpoint_file
from tests.helpers import REPO, data_root_options, run_tool

pytestmark = pytest.mark.slow  # runs the tools in subprocesses

DOC = REPO / 'docs' / 'recast_your_own_network.md'


def _code_block(first_line: str) -> str:
    """The ```python block of the page that starts with ``first_line``."""
    for block in re.findall(r'```python\n(.*?)```', DOC.read_text(), re.S):
        if block.startswith(first_line):
            return block
    raise AssertionError(f'no code block starting {first_line!r} in {DOC}')


def _page_config(root: Path, name: str) -> Path:
    """The page's ``configs/my_project/<name>``, written under ``root``
    beside a link to the repository's ``configs/_base_``."""
    project = root / 'configs' / 'my_project'
    project.mkdir(parents=True, exist_ok=True)
    base = root / 'configs' / '_base_'
    if not base.exists():
        base.symlink_to(REPO / 'configs' / '_base_')
    config = project / name
    config.write_text(_code_block(f'# configs/my_project/{name}'))
    return config


def _plan_table(config: Path) -> str:
    """What tools/misc/check_plan.py prints for ``config``."""
    from tests.helpers import run_tool_in_process
    code, out, err = run_tool_in_process(
        'misc/check_plan.py', [config, '--shape', 3, 32, 32])
    assert code == 0, err
    return out.strip()


def _page_table(name: str) -> str:
    """The table the page shows after ``check_plan.py ...<name>``."""
    return re.search(rf'{re.escape(name)}`\nprints \(the docs test runs it'
                     r'.*?\n\n```\n(.*?)```', DOC.read_text(),
                     re.S).group(1).strip()


def test_doc_plan_for_torchvision_resnet18_runs(tmp_path, cifar10_tiny):
    (tmp_path / 'my_recasters.py').write_text(
        _code_block('# my_recasters.py'))
    config = _page_config(tmp_path, 'recast_resnet18.py')
    teacher = torchvision.models.resnet18(num_classes=10)
    (tmp_path / 'checkpoints').mkdir()
    torch.save(teacher.state_dict(), tmp_path / 'checkpoints/my_resnet18.pth')

    result = run_tool(
        ['train.py', config, '--work-dir', tmp_path / 'work', '--cfg-options',
         'train_cfg.iters_per_stage=2', 'train_dataloader.batch_size=8',
         'train_dataloader.num_workers=0',
         'train_dataloader.persistent_workers=False',
         'val_dataloader.num_workers=0',
         *data_root_options(cifar10_tiny)],
        cwd=tmp_path,
        env=dict(PYTHONPATH=str(tmp_path)))
    assert result.returncode == 0, result.stdout[-3000:]
    # 4 + 1 (layer1, layer2 with BasicBlockToConv) + 2 (the custom recaster)
    for stage in range(1, 7):
        assert (tmp_path / 'work' / f'stage_{stage}.pth').is_file()
    state = load_checkpoint_file(str(tmp_path / 'work' /
                                     'stage_6.pth'))['state_dict']
    # layer3 now holds the doc's depthwise + pointwise target
    depthwise = state['student.backbone.module.layer3.0.0.weight']
    assert depthwise.shape == (128, 1, 3, 3)
    assert state['student.backbone.module.layer1.0.0.weight'].shape == (
        64, 64, 3, 3)

    # export, then test the export with the teacher's weights file gone:
    # the student needs only its own files and the user's recaster module
    result = run_tool(['export_student.py', config,
                       tmp_path / 'work' / 'stage_6.pth', tmp_path / 'export'],
                      cwd=tmp_path, env=dict(PYTHONPATH=str(tmp_path)))
    assert result.returncode == 0, result.stdout[-3000:]
    exported = (tmp_path / 'export' / 'student.py').read_text()
    assert "'my_recasters'" in exported and 'my_resnet18.pth' not in \
        exported.split('\n\n', 1)[1]
    (tmp_path / 'checkpoints' / 'my_resnet18.pth').unlink()
    result = run_tool(
        ['test.py', tmp_path / 'export' / 'student.py',
         tmp_path / 'export' / 'student.pth', '--work-dir', tmp_path / 'test',
         '--cfg-options', 'test_dataloader.num_workers=0',
         f'test_dataloader.dataset.data_root={cifar10_tiny}'],
        cwd=tmp_path,
        env=dict(PYTHONPATH=str(tmp_path)))
    assert result.returncode == 0, result.stdout[-3000:]
    assert re.search(r'accuracy/top1: [\d.]+', result.stdout)


def test_doc_densenet121_plan_check_prints_the_page_table(tmp_path):
    """The page's DenseNet-121 config passes tools/misc/check_plan.py and
    the table the page shows is what the tool prints."""
    config = _page_config(tmp_path, 'recast_densenet121.py')
    assert _plan_table(config) == _page_table('recast_densenet121.py')


def test_doc_vit_drops_layers_and_the_student_is_the_rest(
        tmp_path, cifar10_tiny):
    """The page's ViT config: the plan check prints the page's table;
    tools/train.py builds the student in the one iteration of a stage with
    nothing to train; the export is the teacher without the dropped layers
    and test.py evaluates it."""
    from tests.helpers import run_tool_in_process
    config = _page_config(tmp_path, 'recast_vit.py')
    assert _plan_table(config) == _page_table('recast_vit.py')
    # the page's figures for BlockToTokenMLP in place of the removals
    mlp = config.with_name('recast_vit_mlp.py')
    mlp.write_text(config.read_text().replace(
        "dict(type='BlockToShortcut')", "dict(type='BlockToTokenMLP')"))
    assert _plan_table(mlp).count(
        '| EncoderBlock -> TokenMLP | 192 -> 192 | 1 | 297.0K -> 74.7K | '
        '20.92M -> 4.85M |') == 3

    teacher = torchvision.models.VisionTransformer(
        image_size=32, patch_size=4, num_layers=6, num_heads=4,
        hidden_dim=192, mlp_dim=384, num_classes=10)
    (tmp_path / 'checkpoints').mkdir()
    torch.save(teacher.state_dict(), tmp_path / 'checkpoints/my_vit.pth')
    loaders = ['train_dataloader.batch_size=8',
               'train_dataloader.num_workers=0',
               'train_dataloader.persistent_workers=False',
               'val_dataloader.num_workers=0',
               'val_dataloader.persistent_workers=False',
               'test_dataloader.num_workers=0',
               'test_dataloader.persistent_workers=False',
               *data_root_options(cifar10_tiny)]
    result = run_tool(['train.py', config, '--work-dir', tmp_path / 'work',
                       '--cfg-options', *loaders], cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    assert 'Recast stage 1 has nothing to train' in result.stdout
    assert re.search(r'Iter\(train\) \[1/1\].* loss_recast: [\d.]+',
                     result.stdout)
    code, _, err = run_tool_in_process('export_student.py', [
        config, tmp_path / 'work' / 'stage_1.pth', tmp_path / 'export'])
    assert code == 0, err
    student = load_checkpoint_file(str(tmp_path / 'export' /
                                       'student.pth'))['state_dict']
    kept = {f'backbone.module.{k}': v
            for k, v in teacher.state_dict().items()
            if not re.search(r'encoder_layer_[135]\.', k)}
    assert student.keys() == kept.keys()
    assert all(torch.equal(student[k], v) for k, v in kept.items())
    code, out, err = run_tool_in_process('test.py', [
        tmp_path / 'export' / 'student.py', tmp_path / 'export' /
        'student.pth', '--work-dir', tmp_path / 'test', '--cfg-options',
        *loaders])
    assert code == 0, err
    assert re.search(r'accuracy/top1: [\d.]+', out + err)
