# Copyright (c) mmrecast contributors. All rights reserved.
"""Distributed training on machines without a GPU.

mmengine's ``init_dist`` always calls ``torch.cuda.set_device``, so a CPU-only
job fails before its gloo group exists, and the runner's default DDP wrapper
passes ``device_ids=[local_rank]``, which DDP rejects for a CPU module. On a
CPU-only machine :func:`init_cpu_distributed` creates the gloo group itself
(the runner then skips ``init_dist``) and sets ``device_ids=None``. On GPUs
nothing changes: mmengine's launchers handle NCCL as usual.
"""
import logging
import os
import subprocess
import sys
from datetime import timedelta

import torch
import torch.distributed as torch_dist
from mmengine.config import Config

from .errors import ConfigError
from .worker_files import end_workers

__all__ = ['init_cpu_distributed', 'destroy_distributed']


#: the variables each launcher sets, which the job reads
_LAUNCHER_VARS = dict(
    slurm=('SLURM_PROCID', 'SLURM_NTASKS', 'SLURM_LOCALID', 'SLURM_NODELIST'),
    mpi=('OMPI_COMM_WORLD_RANK', 'OMPI_COMM_WORLD_SIZE',
         'OMPI_COMM_WORLD_LOCAL_RANK'))


def _refuse_unlaunched(launcher: str, name: str) -> None:
    """Refuse a job whose ``launcher`` did not set ``name``."""
    if name not in os.environ:
        raise ConfigError(
            f'launcher={launcher!r} but ${name} is not set; start the job '
            'with its launcher (tools/dist_train.sh for pytorch, '
            'tools/slurm_train.sh for slurm, mpirun for mpi), or use '
            '--launcher none')


def _export_launcher_env(launcher: str) -> None:
    """Translate a launcher's variables into torch's ``env://`` ones; a
    job its launcher did not start is refused in one line."""
    for name in _LAUNCHER_VARS.get(launcher, ()):
        _refuse_unlaunched(launcher, name)
    if launcher == 'slurm':
        os.environ.setdefault('RANK', os.environ['SLURM_PROCID'])
        os.environ.setdefault('WORLD_SIZE', os.environ['SLURM_NTASKS'])
        os.environ.setdefault('LOCAL_RANK', os.environ['SLURM_LOCALID'])
        if 'MASTER_ADDR' not in os.environ:
            nodes = os.environ['SLURM_NODELIST']
            first = subprocess.getoutput(
                f'scontrol show hostname {nodes} | head -n1')
            os.environ['MASTER_ADDR'] = first
    elif launcher == 'mpi':
        os.environ.setdefault('RANK', os.environ['OMPI_COMM_WORLD_RANK'])
        os.environ.setdefault('WORLD_SIZE', os.environ['OMPI_COMM_WORLD_SIZE'])
        os.environ.setdefault('LOCAL_RANK',
                              os.environ['OMPI_COMM_WORLD_LOCAL_RANK'])
        os.environ.setdefault('MASTER_ADDR', '127.0.0.1')
    os.environ.setdefault('MASTER_PORT', '29500')
    for name in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR'):
        _refuse_unlaunched(launcher, name)


def init_cpu_distributed(cfg: Config) -> bool:
    """Start a gloo process group and CPU-friendly DDP when there is no GPU.

    Args:
        cfg (Config): The run's config; ``cfg.launcher`` decides whether the
            job is distributed. ``env_cfg.dist_cfg`` and
            ``model_wrapper_cfg`` are updated in place.

    Returns:
        bool: Whether the CPU (gloo) path was taken.
    """
    launcher = cfg.get('launcher', 'none')
    if launcher == 'none' or torch.cuda.is_available():
        return False
    env_cfg = cfg.get('env_cfg') or {}
    dist_cfg = dict(env_cfg.get('dist_cfg') or {}, backend='gloo')
    env_cfg['dist_cfg'] = dist_cfg
    cfg.env_cfg = env_cfg
    if not torch_dist.is_initialized():
        _export_launcher_env(launcher)
        timeout = dist_cfg.get('timeout')
        kwargs = {} if timeout is None else dict(
            timeout=timedelta(seconds=timeout))
        torch_dist.init_process_group(backend='gloo', **kwargs)
    wrapper = cfg.get('model_wrapper_cfg') or dict(
        type='MMDistributedDataParallel')
    wrapper['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper
    return True


def destroy_distributed() -> None:
    """End a successful distributed run cleanly (all ranks), then exit.

    mmengine leaves the process group to interpreter shutdown, where a gloo
    rank can abort in C++ destructors (SIGABRT) after all work is done, and
    torchrun then reports the job as failed (``docs/distributed.md``). So:
    barrier, destroy the group, stop the data loader workers
    (:func:`~mmrecast.utils.worker_files.end_workers`), flush logs and
    streams, and leave with ``os._exit(0)``, skipping the teardown that
    aborts. Without a process group this does nothing. Not for error
    paths: a barrier there could wait for a rank that is gone.
    """
    if not (torch_dist.is_available() and torch_dist.is_initialized()):
        return
    torch_dist.barrier()
    torch_dist.destroy_process_group()
    end_workers()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
