# Copyright (c) mmrecast contributors. All rights reserved.
"""Runtime checks and set-up shared by ``tools/train.py`` and ``test.py``."""
import os

import torch
from mmengine.config import Config
from mmengine.logging import print_log

from .allocator import keep_freed_memory
from .checkpoint import set_unsafe_load
from .dist import init_cpu_distributed
from .worker_files import share_temp_folder

__all__ = ['setup_runtime', 'share_cpu_threads', 'set_cpu_threads']


def set_cpu_threads(processes: int) -> int:
    """Give this process (and the ones it starts) ``cores / processes``
    CPU threads: ``OMP_NUM_THREADS``, ``MKL_NUM_THREADS`` unless set, and
    torch's own pool.

    Returns:
        int: The threads given.
    """
    threads = max(1, len(os.sched_getaffinity(0)) // processes)
    os.environ['OMP_NUM_THREADS'] = str(threads)
    os.environ.setdefault('MKL_NUM_THREADS', str(threads))
    torch.set_num_threads(threads)
    return threads


def share_cpu_threads(cfg: Config) -> None:
    """Give each process of a distributed job ``cores / processes`` CPU
    threads unless ``OMP_NUM_THREADS`` is set (mmengine would set 1, which
    leaves all but one core idle in a single-process ``torchrun`` job)."""
    if cfg.get('launcher', 'none') == 'none' \
            or 'OMP_NUM_THREADS' in os.environ:
        return
    processes = int(os.environ.get('LOCAL_WORLD_SIZE', 1))
    threads = set_cpu_threads(processes)
    if os.environ.get('RANK', '0') == '0':
        print_log(f'OMP_NUM_THREADS={threads} per process ({processes} '
                  'processes on this node); set OMP_NUM_THREADS to choose',
                  logger='current')


def setup_runtime(cfg: Config) -> None:
    """Apply the run-level options of an mmrecast config before the runner.

    * ``unsafe_load`` (bool): allow full unpickling of checkpoints (see
      :mod:`mmrecast.utils.checkpoint`); default weights-only.
    * ``launcher``: on a CPU-only machine, start gloo DDP
      (:func:`~mmrecast.utils.dist.init_cpu_distributed`).
    * CPU threads shared out between the processes
      (:func:`share_cpu_threads`).
    * glibc ``malloc`` keeps freed memory for the next step
      (:func:`~mmrecast.utils.allocator.keep_freed_memory`; opt out with
      ``MMRECAST_MALLOC_TUNING=0``).
    * One temporary folder for this process and its data loader workers
      (:func:`~mmrecast.utils.worker_files.share_temp_folder`).

    Args:
        cfg (Config): The merged run config; updated in place.
    """
    if cfg.get('unsafe_load') is not None:
        set_unsafe_load(bool(cfg.unsafe_load))
    share_cpu_threads(cfg)
    keep_freed_memory()
    share_temp_folder()
    init_cpu_distributed(cfg)
