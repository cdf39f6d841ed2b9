# Copyright (c) mmrecast contributors. All rights reserved.
"""What the step benchmarks of ``tools/benchmarks/`` share: their common
flags and a process set up as ``tools/train.py`` sets up a run, so that a
step timed there costs what it costs in training."""
import argparse
import copy
import logging
import statistics
from typing import Callable, Dict, Optional

import torch
from mmengine.logging import MMLogger

from mmrecast.utils.cli import positive_int, tool_description

__all__ = [
    'benchmark_parser', 'check_device', 'compare_train_steps',
    'setup_benchmark', 'training_step_inputs'
]

#: One training step, returning its log (losses).
Step = Callable[[], dict]


def benchmark_parser(doc: str,
                     reps: Optional[int] = None,
                     batch: Optional[int] = None,
                     device: bool = False) -> argparse.ArgumentParser:
    """A parser for the tool of docstring ``doc`` with ``--threads``
    (default 2), ``--debug`` and, where a default is given, ``--reps`` and
    ``--batch``; ``--device`` when ``device``. Counts below 1 are refused
    at the command line."""
    parser = argparse.ArgumentParser(description=tool_description(doc))
    parser.add_argument('--threads', type=positive_int, default=2,
                        help='CPU threads of the timed process (2)')
    if reps is not None:
        parser.add_argument('--reps', type=positive_int, default=reps,
                            help=f'interleaved rounds timed ({reps})')
    if batch is not None:
        parser.add_argument('--batch', type=positive_int, default=batch,
                            help=f'batch size ({batch})')
    if device:
        parser.add_argument('--device', default='cpu', help="e.g. 'cuda'")
    parser.add_argument(
        '--debug', action='store_true',
        help='show the traceback of an error (also MMRECAST_DEBUG=1)')
    return parser


def check_device(parser: argparse.ArgumentParser, device: str) -> None:
    """Refuse in one line a ``device`` that is not the CPU or a GPU, or a
    GPU on a machine without one."""
    try:
        kind = torch.device(device).type
    except RuntimeError:  # not a device string torch reads, e.g. 'gpu'
        kind = None
    if kind not in ('cpu', 'cuda'):
        parser.error(f'--device {device}: give cpu, or cuda (cuda:N for '
                     'one GPU of several)')
    if kind == 'cuda' and not torch.cuda.is_available():
        parser.error(f'--device {device}: this machine has no CUDA GPU; use '
                     '--device cpu')


def setup_benchmark(threads: int, seed: int = 0) -> None:
    """Set up this process as ``tools/train.py`` sets up a run (the compat
    patches, glibc's tuning), with ``threads`` threads, a fixed seed and
    the logger at warnings (``init_weights`` would report every parameter).
    The registries are the tool's to fill (``mmrecast.apis``, a layer
    above this one)."""
    from mmrecast.utils import apply_compat_patches, keep_freed_memory
    apply_compat_patches()
    torch.set_num_threads(threads)
    keep_freed_memory()
    torch.manual_seed(seed)
    MMLogger.get_current_instance().setLevel(logging.WARNING)


def training_step_inputs(cfg) -> tuple:
    """A training config's model (in train mode, initialised without
    ``init_from`` or ``teacher_checkpoint``: timing needs no trained
    weights; a recast model with its first stage begun, as ``RecastLoop``
    trains it) and one batch of its training data, read in this process.
    The registries must be filled."""
    from mmengine.runner import Runner

    from mmrecast.models import BlockRecast
    from mmrecast.registry import MODELS
    from mmrecast.utils.model_cfg import runner_model_cfg
    model = MODELS.build(
        runner_model_cfg(cfg, drop=('init_from', 'teacher_checkpoint')))
    model.init_weights()
    if isinstance(model, BlockRecast):
        model.begin_stage(0)
    model.train()
    loader_cfg = copy.deepcopy(cfg.train_dataloader)
    loader_cfg.update(num_workers=0, persistent_workers=False)
    return model, next(iter(Runner.build_dataloader(loader_cfg)))


def compare_train_steps(model, data: dict, steps: Dict[str, Step],
                        reps: int, threads: int) -> None:
    """Time ``steps`` (each runs one ``train_step`` of ``model`` on ``data``
    in its own way) in interleaved rounds and print each one's median time
    and loss (from the same weights), and the first's median ratio to each
    of the others."""
    from .timing import interleaved_times
    state = copy.deepcopy(model.state_dict())
    losses = []
    for step in steps.values():
        model.load_state_dict(state)
        losses.append(sum(v.item() for k, v in step().items() if 'loss' in k))
    rounds = interleaved_times(list(steps.values()), reps)
    print(f'{type(model).__name__}, batch {len(data["data_samples"])}, CPU, '
          f'{threads} threads, median of {reps} interleaved rounds')
    width = max(map(len, steps))
    for i, name in enumerate(steps):
        median = statistics.median(r[i] for r in rounds)
        print(f'{name:<{width}}  step {median:.4f} s  loss {losses[i]:.4f}')
    for i, name in enumerate(list(steps)[1:], 1):
        ratio = statistics.median(r[0] / r[i] for r in rounds)
        print(f'speed-up of {name}: {ratio:.2f}x (median of the per-round '
              'ratios)')
