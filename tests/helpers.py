# Copyright (c) mmrecast contributors. All rights reserved.
"""Helpers for tests: real-data lookup, tiny subsets, running the tools.

Real data is looked up in ``data/`` (the OpenMMLab convention; a link to a
local copy) and then in ``../shared/data``. Without it, the tests that need
it are skipped with a reason naming the folder, unless
``MMRECAST_REQUIRE_DATA=1`` (set by ``.ci/run``), where they fail instead.
"""
import contextlib
import io
import json
import os
import os.path as osp
import runpy
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import List, Optional, Tuple
from unittest import mock

import pytest
import torch
from mmengine.evaluator import BaseMetric

REPO = Path(__file__).resolve().parents[1]
CIFAR10_CLASSES = ('airplane', 'automobile', 'bird', 'cat', 'deer', 'dog',
                   'frog', 'horse', 'ship', 'truck')


class CountMetric(BaseMetric):
    """The number of samples validated: a metric for tests of when and how
    often a run validates."""

    def process(self, data_batch, data_samples):
        self.results.extend(data_samples)

    def compute_metrics(self, results):
        return dict(count=len(results))


def missing(message: str) -> None:
    """Skip the test for missing real data or weights, or fail it where
    they are required (``MMRECAST_REQUIRE_DATA=1``, as in CI)."""
    if os.environ.get('MMRECAST_REQUIRE_DATA') == '1':
        pytest.fail(message)
    pytest.skip(message)


def find_data(name: str) -> Path:
    """Folder of a real data set, or skip/fail the test when missing."""
    for root in (REPO / 'data', REPO.parent / 'shared' / 'data'):
        if (root / name).is_dir():
            return root / name
    missing(f'real data set {name!r} not found in data/{name} or '
            f'../shared/data/{name}: link or download it there')


def make_cifar10_subset(dest: Path, per_class: int, split: str) -> None:
    """Copy the first ``per_class`` images of every class of ``split``."""
    src = find_data('cifar10') / split
    for cls in CIFAR10_CLASSES:
        (dest / split / cls).mkdir(parents=True, exist_ok=True)
        for name in sorted(os.listdir(src / cls))[:per_class]:
            shutil.copy(src / cls / name, dest / split / cls / name)


def data_root_options(root: Path) -> List[str]:
    """``--cfg-options`` that point all three dataloaders at ``root``."""
    return [
        f'{split}_dataloader.dataset.data_root={root}'
        for split in ('train', 'val', 'test')
    ]


def run_tool(args: List[str], cwd: Path, timeout: int = 600,
             env: Optional[dict] = None) -> subprocess.CompletedProcess:
    """Run a ``tools/`` script (``.py`` with this Python, ``.sh`` with bash)
    and return the finished process; output is text, stderr merged."""
    script = str(REPO / 'tools' / args[0])
    if script.endswith('.sh'):
        cmd = ['bash', script]
    else:
        cmd = [sys.executable, script]
    full_env = dict(os.environ, PYTHON=sys.executable, **(env or {}))
    return run_command(cmd + [str(a) for a in args[1:]], cwd, timeout,
                       full_env)


def run_command(cmd: List[str], cwd: Path, timeout: int,
                env: dict) -> subprocess.CompletedProcess:
    """``subprocess.run`` of ``cmd`` (text, stderr merged), in a process
    group of its own that is killed whole if the test ends first (a
    timeout, Ctrl-C): a launcher's workers (torchrun's ``train.py``)
    would otherwise outlive it and slow every later test."""
    with subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True,
                          start_new_session=True) as proc:
        try:
            out, _ = proc.communicate(timeout=timeout)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out)


def free_port() -> str:
    """A local TCP port that is free now, for a torchrun rendezvous (the
    kernel hands out ephemeral ports in turn, so parallel tests rarely
    meet on one)."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return str(s.getsockname()[1])


def run_tool_in_process(tool: str, args: List) -> Tuple[int, str, str]:
    """Run ``tools/<tool>`` in this process as from the command line;
    return its exit status, stdout and stderr. (Not capsys: the runners'
    loggers outlive a test and must keep a stream that stays open.)

    What a tool sets up for its own process, the environment and torch's
    threads, is put back afterwards: a benchmark's two threads left in a
    parallel suite's worker oversubscribed the cores for every later test
    there (check_plan on ResNet-83 took 30 s instead of 0.7).
    """
    path = str(REPO / 'tools' / tool)
    out, err = io.StringIO(), io.StringIO()
    threads = torch.get_num_threads()
    with mock.patch.object(sys, 'argv', [path] + [str(a) for a in args]), \
            mock.patch.dict(os.environ), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            runpy.run_path(path, run_name='__main__')
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        finally:
            torch.set_num_threads(threads)
    return code, out.getvalue(), err.getvalue()


def config_path(*parts: str) -> str:
    return osp.join(REPO, 'configs', *parts)


def find_checkpoint(prefix: str) -> Path:
    """A teacher from ``../shared/checkpoints`` (or ``checkpoints/``)."""
    for root in (REPO / 'checkpoints', REPO.parent / 'shared' / 'checkpoints'):
        if root.is_dir():
            for name in sorted(os.listdir(root)):
                if name.startswith(prefix):
                    return root / name
    missing(f'no checkpoint {prefix}* in checkpoints/ or ../shared')


def leaf_configs() -> List[str]:
    """Runnable configs under ``configs/`` (not ``_base_``), relative to
    it. Paths only: parsing is left to the tests, so collection is fast."""
    return sorted(
        str(path.relative_to(REPO / 'configs'))
        for path in (REPO / 'configs').rglob('*.py')
        if '_base_' not in path.parts)


def on_cifar10_folder(config: str, dest: Path, data_root: Path,
                      **fields) -> Path:
    """Write ``config`` re-pointed at an image-folder CIFAR-10 (dataloaders
    and preprocessing of ``_base_/datasets/cifar10-folder_bs128.py``), with
    top-level ``fields`` replaced; return the new config's path."""
    from mmengine.config import Config
    cfg = Config.fromfile(config_path(config))
    folder = Config.fromfile(
        config_path('_base_', 'datasets', 'cifar10-folder_bs128.py'))
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader',
                'data_preprocessor'):
        cfg[key] = folder[key]
        if key.endswith('dataloader'):
            cfg[key].dataset.data_root = str(data_root)
    for key, value in fields.items():
        cfg[key] = value
    out = dest / osp.basename(config)
    cfg.dump(str(out))
    return out


def input_shape(config: str) -> tuple:
    """A small input that a config's model accepts: MNIST digits, CIFAR
    images, or ImageNet-layout images (224 x 224 where an FC expects 7 x 7
    maps, as mmpretrain's VGG; 64 x 64 otherwise)."""
    if 'mnist' in config:
        return (1, 28, 28)
    if 'imagenet' in config:
        return (3, 224, 224) if 'vgg' in config else (3, 64, 64)
    return (3, 32, 32)


def top1_in_process(config, checkpoint, data_root: Path) -> float:
    """Top-1 of ``checkpoint`` on the test split under ``data_root``,
    computed here without the tools: what a tool's printed accuracy must
    equal."""
    from mmrecast.analysis import evaluate_accuracy, load_classifier
    model, cfg = load_classifier(str(config), str(checkpoint))
    loader = cfg.test_dataloader
    loader.dataset.data_root = str(data_root)
    loader.num_workers, loader.persistent_workers = 0, False
    return evaluate_accuracy(model, cfg)['accuracy/top1']


def onnx_matches_torch(config, checkpoint, tmp_path, *extra) -> float:
    """``pytorch2onnx.py --verify`` agrees on 64 real CIFAR-10 test images
    and ``test_onnx.py`` gives torch's top-1 on all of them (within 0.1
    point), both run in this process; return that top-1."""
    data = find_data('cifar10')
    test_data = f'test_dataloader.dataset.data_root={data}'
    onnx = tmp_path / 'model.onnx'
    code, out, err = run_tool_in_process('deployment/pytorch2onnx.py', [
        config, checkpoint, '--output-file', onnx, '--verify',
        '--verify-images', 64, *extra, '--cfg-options', test_data
    ])
    assert code == 0, out[-2000:] + err[-2000:]
    assert out.strip().splitlines()[-1].endswith('top1_agreement=64/64')
    metrics = tmp_path / 'onnx_metrics.json'
    code, out, err = run_tool_in_process('deployment/test_onnx.py', [
        config, onnx, '--out', metrics, '--work-dir', tmp_path,
        '--cfg-options', test_data
    ])
    assert code == 0, out[-2000:] + err[-2000:]
    in_runtime = json.loads(metrics.read_text())['accuracy/top1']
    in_torch = top1_in_process(config, checkpoint, data)
    assert in_runtime == pytest.approx(in_torch, abs=0.1)
    return in_runtime


def cifar_resnet(depth: int) -> dict:
    """An untrained CIFAR ResNet classifier config, for model-level
    tests."""
    return dict(
        type='ImageClassifier',
        _scope_='mmpretrain',
        backbone=dict(type='mmrecast.CifarResNet', depth=depth),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead',
            num_classes=10,
            in_channels=64,
            loss=dict(type='CrossEntropyLoss')))


RESNET20 = cifar_resnet(20)
#: An untrained torchvision ViT classifier for 32x32 images: 17 tokens of
#: width 32 between its 3 encoder layers (``VIT_LAYERS``).
VIT = dict(
    type='ImageClassifier', _scope_='mmpretrain',
    backbone=dict(
        type='mmrecast.ExternalBackbone',
        module='torchvision.models.VisionTransformer',
        kwargs=dict(image_size=32, patch_size=8, num_layers=3, num_heads=2,
                    hidden_dim=32, mlp_dim=64, num_classes=10)),
    head=dict(type='ClsHead'))
VIT_LAYERS = 'backbone.module.encoder.layers'
#: Library candidates of every kind: a conv, a slimmed block, no block.
LIBRARY_RECASTERS = (dict(type='BasicBlockToConv'),
                     dict(type='BasicBlockSlim', ratio=0.25),
                     dict(type='BlockToShortcut'))


def candidate_library(blocks: str = 'backbone.layer*.*',
                      recasters=LIBRARY_RECASTERS, spans=(), **kwargs):
    """A :class:`CandidateLibrary` of ``recasters`` (and span candidates
    ``spans``) for the ``blocks`` of an untrained ResNet-20, initialised."""
    from mmrecast.apis import register_all_modules
    from mmrecast.registry import MODELS
    register_all_modules()
    library = MODELS.build(
        dict(type='CandidateLibrary', teacher=RESNET20,
             input_size=(3, 32, 32),
             candidates=[dict(blocks=blocks, recasters=list(recasters))],
             spans=[dict(blocks=blocks, recasters=list(spans))]
             if spans else [],
             **kwargs))
    library.init_weights()
    return library


def trained_looking(model):
    """``model`` in eval mode with random weights (N(0, 0.3)) and BN
    statistics, so that a wrong fold or merge shows in its outputs."""
    import torch
    gen = torch.Generator().manual_seed(0)
    for m in model.modules():
        for p in m.parameters(recurse=False):
            p.data.normal_(0, 0.3, generator=gen)
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.normal_(generator=gen)
            m.running_var.uniform_(0.5, 2, generator=gen)
    model.eval()  # not chained: some train() overrides return None
    return model
