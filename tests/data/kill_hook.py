# Copyright (c) mmrecast contributors. All rights reserved.
"""Test-only hook: kill the training process at an iteration, as a crash
or a pre-empted job would (no clean-up, no exception handling)."""
import os

from mmcv.transforms import BaseTransform
from mmengine.hooks import Hook

from mmrecast.registry import HOOKS, TRANSFORMS


@HOOKS.register_module()
class KillAtIteration(Hook):
    priority = 'LOWEST'  # after CheckpointHook has written its file

    def __init__(self, iteration: int):
        self.iteration = iteration

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if runner.iter + 1 == self.iteration:
            os._exit(3)


@HOOKS.register_module()
class SignalAtIteration(Hook):
    """Test-only hook: one rank gets a signal after an iteration's
    checkpoint: ``SIGKILL`` as from the out-of-memory killer, ``SIGINT`` as
    from Ctrl-C, ``SIGTERM`` as from ``kill`` or a container's stop."""
    priority = 'LOWEST'

    def __init__(self,
                 iteration: int,
                 signal: str,
                 rank: int = 0,
                 group: bool = False):
        self.iteration, self.signal, self.rank = iteration, signal, rank
        self.group = group  # the whole process group, data workers too

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        import signal

        from mmengine.dist import get_rank
        if runner.iter + 1 == self.iteration and get_rank() == self.rank:
            if self.signal == 'SIGINT':
                # Ctrl-C's KeyboardInterrupt, as in a terminal: a process
                # started in the background (a CI job) inherits SIGINT
                # ignored, and Python then installs no handler for it
                signal.signal(signal.SIGINT, signal.default_int_handler)
            sig = getattr(signal, self.signal)
            if self.group:
                self._signal_group(sig)
            else:
                os.kill(os.getpid(), sig)

    @staticmethod
    def _signal_group(sig) -> None:
        """``sig`` to the process group from outside it (``kill``), as it
        comes while this process is in C code: its workers have died (and
        their SIGCHLD is pending) by the time it handles its own."""
        import multiprocessing
        import signal
        import subprocess
        both = {sig, signal.SIGCHLD}
        signal.pthread_sigmask(signal.SIG_BLOCK, both)
        subprocess.run(['kill', f'-{sig.name}', '--', f'-{os.getpgrp()}'],
                       check=True)
        for child in multiprocessing.active_children():
            os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, both)


@TRANSFORMS.register_module()
class KillWorker(BaseTransform):
    """Test-only transform: the data loader worker process running it is
    killed (``SIGKILL``, as by the out-of-memory killer)."""

    def transform(self, results: dict) -> dict:
        import signal

        from torch.utils.data import get_worker_info
        if get_worker_info() is not None:
            os.kill(os.getpid(), signal.SIGKILL)
        return results


class Crash(RuntimeError):
    """What :class:`RaiseAtIteration` raises."""


@HOOKS.register_module()
class RaiseAtIteration(Hook):
    """Test-only hook: raise :class:`Crash` after an iteration's checkpoint,
    for crash-and-resume tests that run the runner in-process."""
    priority = 'LOWEST'

    def __init__(self, iteration: int):
        self.iteration = iteration

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if runner.iter + 1 == self.iteration:
            raise Crash(f'crash after iteration {self.iteration}')


@HOOKS.register_module()
class HangAtIteration(Hook):
    """Test-only hook: one rank stops answering (sleeps) before an
    iteration, as a hung process would; the others wait for it."""

    def __init__(self, iteration: int, rank: int = 1, seconds: int = 120):
        self.iteration, self.rank, self.seconds = iteration, rank, seconds

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        import time

        from mmengine.dist import get_rank
        if runner.iter + 1 == self.iteration and get_rank() == self.rank:
            time.sleep(self.seconds)


@HOOKS.register_module()
class Tf32Probe(Hook):
    """Test-only hook: note whether TF32 was allowed at each iteration."""
    seen = []

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        import torch
        Tf32Probe.seen.append((torch.backends.cuda.matmul.allow_tf32,
                               torch.backends.cudnn.allow_tf32))
