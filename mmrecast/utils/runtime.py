# Copyright (c) mmrecast contributors. All rights reserved.
"""Runtime checks and set-up shared by ``tools/train.py`` and ``test.py``."""
import torch
from mmengine.config import Config

from .allocator import keep_freed_memory
from .checkpoint import set_unsafe_load
from .dist import init_cpu_distributed
from .errors import ConfigError

__all__ = ['setup_runtime']


def _check_amp(cfg: Config) -> None:
    optim_wrapper = cfg.get('optim_wrapper') or {}
    if 'AmpOptimWrapper' in str(optim_wrapper.get('type', '')) \
            and not torch.cuda.is_available():
        raise ConfigError(
            'optim_wrapper.type=AmpOptimWrapper (--amp) needs a CUDA GPU and '
            'this machine has none; drop --amp to train in fp32 on the CPU')


def setup_runtime(cfg: Config) -> None:
    """Apply the run-level options of an mmrecast config before the runner.

    * ``unsafe_load`` (bool): allow full unpickling of checkpoints (see
      :mod:`mmrecast.utils.checkpoint`); default weights-only.
    * ``launcher``: on a CPU-only machine, start gloo DDP
      (:func:`~mmrecast.utils.dist.init_cpu_distributed`).
    * mixed precision asked for on a machine without GPU fails here with
      one line, instead of an assertion deep inside mmengine.
    * glibc ``malloc`` keeps freed memory for the next step
      (:func:`~mmrecast.utils.allocator.keep_freed_memory`; opt out with
      ``MMRECAST_MALLOC_TUNING=0``).

    Args:
        cfg (Config): The merged run config; updated in place.
    """
    if cfg.get('unsafe_load') is not None:
        set_unsafe_load(bool(cfg.unsafe_load))
    _check_amp(cfg)
    keep_freed_memory()
    init_cpu_distributed(cfg)
