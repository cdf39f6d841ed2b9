# Copyright (c) mmrecast contributors. All rights reserved.
"""What the step benchmarks of ``tools/benchmarks/`` share: their common
flags and a process set up as ``tools/train.py`` sets up a run, so that a
step timed there costs what it costs in training."""
import argparse
import logging
from typing import Optional

import torch
from mmengine.logging import MMLogger

from mmrecast.utils.cli import positive_int

__all__ = ['benchmark_parser', 'check_device', 'setup_benchmark']


def benchmark_parser(description: str,
                     reps: Optional[int] = None,
                     batch: Optional[int] = None,
                     device: bool = False) -> argparse.ArgumentParser:
    """A parser with ``--threads`` (default 2), ``--debug`` and, where a
    default is given, ``--reps`` and ``--batch``; ``--device`` when
    ``device``. Counts below 1 are refused at the command line."""
    parser = argparse.ArgumentParser(description=description)
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
    """Refuse a CUDA ``device`` in one line on a machine without one."""
    if device.startswith('cuda') and not torch.cuda.is_available():
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
