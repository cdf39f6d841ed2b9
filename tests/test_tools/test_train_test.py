# Copyright (c) mmrecast contributors. All rights reserved.
"""The tools, run as a user runs them, on a few real CIFAR-10 images."""
import re

import mmengine
import pytest
import torch

from mmrecast.utils import load_checkpoint_file
from tests.helpers import (config_path, data_root_options, free_port, run_tool,
                           run_tool_in_process, top1_in_process)

pytestmark = pytest.mark.slow  # runs the tools in subprocesses

CONFIG = config_path('classification',
                     'resnet18-w16_1xb128_cifar10-folder.py')
# tiny batches, no worker processes, a checkpoint every 2 iterations
FAST = [
    'train_dataloader.batch_size=8', 'train_dataloader.num_workers=0',
    'train_dataloader.persistent_workers=False',
    'val_dataloader.batch_size=10', 'val_dataloader.num_workers=0',
    'test_dataloader.batch_size=10', 'test_dataloader.num_workers=0',
    'default_hooks.logger.interval=1', 'default_hooks.checkpoint.interval=2',
    'train_cfg.val_interval=2', 'randomness.seed=0'
]


def _top1(output: str) -> float:
    found = re.findall(r'accuracy/top1: ([\d.]+)', output)
    assert found, output[-3000:]
    return float(found[-1])


@pytest.fixture(scope='module')
def trained(tmp_path_factory, cifar10_tiny):
    """Train 2 iterations with tools/train.py; return the work dir."""
    work_dir = tmp_path_factory.mktemp('train')
    proc = run_tool([
        'train.py', CONFIG, '--work-dir', work_dir, '--cfg-options',
        'train_cfg.max_iters=2', *FAST, *data_root_options(cifar10_tiny)
    ], cwd=work_dir)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert 'Iter(train) [2/2]' in proc.stdout
    return work_dir


def test_checkpoint_is_weights_only_loadable(trained):
    ckpt = trained / 'iter_2.pth'
    # nothing in it is outside mmrecast's allow-list (numpy, HistoryBuffer)
    names = torch.serialization.get_unsafe_globals_in_checkpoint(str(ckpt))
    assert all(n.startswith('numpy') or n.endswith('.HistoryBuffer')
               for n in names), names
    loaded = load_checkpoint_file(ckpt)
    assert loaded['meta']['iter'] == 2
    assert 'message_hub' in loaded and 'optimizer' in loaded


def test_auto_resume_continues_at_the_right_iteration(trained, cifar10_tiny):
    proc = run_tool([
        'train.py', CONFIG, '--work-dir', trained, '--resume',
        '--cfg-options', 'train_cfg.max_iters=4', *FAST,
        *data_root_options(cifar10_tiny)
    ], cwd=trained)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert 'resumed epoch: 0, iter: 2' in proc.stdout
    assert 'Iter(train) [3/4]' in proc.stdout
    assert 'Iter(train) [1/4]' not in proc.stdout
    assert load_checkpoint_file(trained / 'iter_4.pth')['meta']['iter'] == 4


def test_resume_with_nothing_to_resume_says_it_starts_over(
        cifar10_tiny, tmp_path):
    # a misspelt --work-dir would otherwise train from scratch silently
    proc = run_tool([
        'train.py', CONFIG, '--work-dir', tmp_path, '--resume',
        '--cfg-options', 'train_cfg.max_iters=1', *FAST,
        *data_root_options(cifar10_tiny)
    ], cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert f'warning: --resume: {tmp_path} holds no checkpoint yet; ' \
        'training from the start' in proc.stdout
    assert 'Iter(train) [1/1]' in proc.stdout


def test_resume_from_explicit_path(trained, cifar10_tiny, tmp_path):
    proc = run_tool([
        'train.py', CONFIG, '--work-dir', tmp_path, '--resume',
        trained / 'iter_2.pth', '--cfg-options', 'train_cfg.max_iters=3',
        *FAST, *data_root_options(cifar10_tiny)
    ], cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert 'resumed epoch: 0, iter: 2' in proc.stdout
    assert 'Iter(train) [3/3]' in proc.stdout


def test_a_missing_resume_checkpoint_is_named_as_given(tmp_path):
    missing = tmp_path / 'iter_9.pth'
    code, _, err = run_tool_in_process('train.py', [
        CONFIG, '--work-dir', tmp_path, '--resume', missing])
    assert code == 2
    assert err.strip().splitlines()[-1] == (
        f'error: --resume: {missing}: no such checkpoint file; check the '
        'path')


def test_test_tool_prints_accuracy(trained, cifar10_tiny, tmp_path):
    out = tmp_path / 'metrics.pkl'
    proc = run_tool([
        'test.py', CONFIG, trained / 'iter_2.pth', '--work-dir', tmp_path,
        '--out', out, '--out-item', 'metrics', '--cfg-options', *FAST,
        *data_root_options(cifar10_tiny)
    ], cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:]
    expected = top1_in_process(CONFIG, trained / 'iter_2.pth', cifar10_tiny)
    assert _top1(proc.stdout) == pytest.approx(expected, abs=1e-3)
    assert mmengine.load(out)['accuracy/top1'] == pytest.approx(expected,
                                                                abs=1e-3)


def test_dist_train_and_dist_test_on_cpu(cifar10_tiny, tmp_path,
                                         temp_folder):
    proc = run_tool([
        'dist_train.sh', CONFIG, 2, '--work-dir', tmp_path, '--cfg-options',
        'train_cfg.max_iters=2', *FAST, *data_root_options(cifar10_tiny),
        # a persistent worker per rank, still running when the job ends
        'train_dataloader.num_workers=1',
        'train_dataloader.persistent_workers=True'
    ], cwd=tmp_path, env=dict(PORT=free_port(), TMPDIR=str(temp_folder)))
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert 'Distributed launcher: pytorch' in proc.stdout
    # mmengine reports the world size as 'GPU number', on CPU too
    assert 'GPU number: 2' in proc.stdout
    assert "device_ids=None" in proc.stdout  # CPU DDP wrapper
    assert 'Iter(train) [2/2]' in proc.stdout
    proc = run_tool([
        'dist_test.sh', CONFIG, tmp_path / 'iter_2.pth', 1, '--work-dir',
        tmp_path, '--cfg-options', *FAST, *data_root_options(cifar10_tiny)
    ], cwd=tmp_path, env=dict(PORT=free_port(), TMPDIR=str(temp_folder)))
    assert proc.returncode == 0, proc.stdout[-3000:]
    expected = top1_in_process(CONFIG, tmp_path / 'iter_2.pth', cifar10_tiny)
    assert _top1(proc.stdout) == pytest.approx(expected, abs=1e-3)
    # torchrun made a log folder there per launch and never removed it,
    # and each data loader worker a pymp-* folder; torch's compile cache
    # (torchinductor_USER) is kept for the next run
    assert [p.name for p in temp_folder.iterdir()
            if not p.name.startswith('torchinductor_')] == []


def test_persistent_workers_leave_no_temporary_folder(cifar10_tiny,
                                                      tmp_path, temp_folder):
    # multiprocessing kills them at exit; their files are in the tool's
    # temporary folder, which it removes
    proc = run_tool([
        'train.py', CONFIG, '--work-dir', tmp_path, '--cfg-options',
        'train_cfg.max_iters=1', *FAST, *data_root_options(cifar10_tiny),
        'train_dataloader.num_workers=2',
        'train_dataloader.persistent_workers=True'
    ], cwd=tmp_path, env=dict(TMPDIR=str(temp_folder)))
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert [p.name for p in temp_folder.iterdir()
            if not p.name.startswith('torchinductor_')] == []


@pytest.mark.parametrize('tool, args, count', [
    ('dist_train.sh', [CONFIG], '0'), ('dist_train.sh', [CONFIG], 'two'),
    ('dist_test.sh', [CONFIG, 'any.pth'], '')])
def test_a_launch_without_a_process_count_is_one_line(tmp_path, tool, args,
                                                      count):
    proc = run_tool([tool, *args, count], cwd=tmp_path)
    assert proc.returncode == 2
    usage = 'dist_train.sh CONFIG N' if tool == 'dist_train.sh' \
        else 'dist_test.sh CONFIG CHECKPOINT N'
    assert proc.stdout.strip().splitlines() == [  # stderr merged
        f"error: {usage}: N='{count}' is not a number of processes; give a "
        'whole number of at least 1 (1 on a CPU, the GPUs of a node)']


@pytest.mark.parametrize('tool, last', [('slurm_train.sh', 'WORK_DIR'),
                                        ('slurm_test.sh', 'CHECKPOINT')])
def test_a_slurm_launch_short_of_its_arguments_is_one_line(tmp_path, tool,
                                                           last):
    # srun got empty ones before (or, without slurm, "srun: not found")
    proc = run_tool([tool, 'partition', 'job'], cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout.strip().splitlines() == [
        f'error: {tool} PARTITION JOB_NAME CONFIG {last} [args]: give all '
        'four']


@pytest.mark.skipif(torch.cuda.is_available(), reason='checks the CPU path')
def test_amp_on_cpu_is_refused_in_one_line(tmp_path):
    # any folder passes the data check: the run stops before reading it
    proc = run_tool(['train.py', CONFIG, '--amp', '--cfg-options',
                     f'train_dataloader.dataset.data_root={tmp_path}'],
                    cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout.strip().splitlines() == [
        'error: optim_wrapper.type=AmpOptimWrapper (--amp) needs a CUDA GPU '
        'and this machine has none; drop --amp to train in fp32 on the CPU, '
        "or set optim_wrapper.type='AutocastOptimWrapper' for bfloat16"]


def test_test_tool_takes_a_config_without_training_fields(
        trained, cifar10_tiny, tmp_path):
    """A teacher's config with half a training set-up (no optimiser, no
    schedule) evaluates: tools/test.py needs no training fields."""
    code, out, err = run_tool_in_process('test.py', [
        CONFIG, trained / 'iter_2.pth', '--work-dir', tmp_path,
        '--cfg-options', *FAST, *data_root_options(cifar10_tiny),
        'optim_wrapper=None', 'param_scheduler=None', 'train_cfg=None'
    ])
    assert code == 0, err[-3000:]
    assert _top1(out) == pytest.approx(
        top1_in_process(CONFIG, trained / 'iter_2.pth', cifar10_tiny),
        abs=1e-3)


def test_test_tool_with_none_uses_the_weights_the_config_loads(
        cifar10_tiny, tmp_path):
    """A backbone that loads its own file (a third-party teacher) needs no
    CHECKPOINT: 'none' evaluates it as built."""
    import torchvision
    weights = tmp_path / 'resnet18.pth'
    torch.save(torchvision.models.resnet18(num_classes=10).state_dict(),
               weights)
    cfg = mmengine.Config.fromfile(CONFIG)
    cfg.model = dict(
        type='ImageClassifier',
        _scope_='mmpretrain',
        backbone=dict(
            type='mmrecast.ExternalBackbone',
            module='torchvision.models.resnet18',
            kwargs=dict(num_classes=10),
            checkpoint=str(weights)),
        head=dict(type='ClsHead', loss=dict(type='CrossEntropyLoss')))
    config = tmp_path / 'external.py'
    cfg.dump(str(config))
    code, out, err = run_tool_in_process('test.py', [
        config, 'none', '--work-dir', tmp_path, '--cfg-options', *FAST,
        *data_root_options(cifar10_tiny)
    ])
    assert code == 0, err[-3000:]
    assert _top1(out) == pytest.approx(
        top1_in_process(config, 'none', cifar10_tiny), abs=1e-3)
