# Copyright (c) mmrecast contributors. All rights reserved.
"""A work dir left as it was when a run fails before it starts."""
import os
import os.path as osp
import shutil
from typing import Optional

from mmengine.dist import get_rank
from mmengine.runner import Runner

__all__ = ['UntouchedIfNotStarted']


class UntouchedIfNotStarted:
    """Context manager: if the run inside fails before it has finished an
    iteration (a plan or config error found while the Runner builds the
    model, the loops or the data, or at the first batch), remove what it
    added to ``work_dir``: the Runner's timestamped log folder, its config
    dump, and ``work_dir`` itself when the run made it. Otherwise each such
    failure left a folder behind.

    What was there before is kept, and so is everything once a training
    run has finished an iteration or written a checkpoint (it may be
    resumed); a test run has nothing to resume, so its log goes whenever
    it fails.
    Set ``runner`` to the run's Runner as soon as it is built; in a
    distributed job only rank 0 tidies (the others wrote nothing there).

    Args:
        work_dir (str): The run's work dir.
    """

    def __init__(self, work_dir: str):
        self.work_dir = work_dir
        self.runner: Optional[Runner] = None
        self._before: Optional[set] = None

    def __enter__(self) -> 'UntouchedIfNotStarted':
        if osp.isdir(self.work_dir):
            self._before = set(os.listdir(self.work_dir))
        return self

    def __exit__(self, kind, error, tb) -> None:
        if error is None or not osp.isdir(self.work_dir) or get_rank() > 0:
            return
        # RuntimeInfoHook notes the iterations done as each one begins (a
        # resumed run has them from its checkpoint); runner.iter would
        # build a train loop that failed to build
        if self.runner is not None and (self.runner.message_hub.get_info(
                'iter') or 0) > 0:
            return
        added = set(os.listdir(self.work_dir)) - (self._before or set())
        if any(_holds_checkpoint(osp.join(self.work_dir, n)) for n in added):
            return
        for name in added:
            path = osp.join(self.work_dir, name)
            if osp.isdir(path) and not osp.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.remove(path)
        if self._before is None and not os.listdir(self.work_dir):
            os.rmdir(self.work_dir)


def _holds_checkpoint(path: str) -> bool:
    """Whether ``path`` is, or is a folder that holds, a checkpoint or the
    pointer to one."""
    def is_checkpoint(name: str) -> bool:
        return name.endswith('.pth') or name == 'last_checkpoint'

    if not osp.isdir(path):
        return is_checkpoint(osp.basename(path))
    return any(is_checkpoint(f) for _, _, files in os.walk(path)
               for f in files)
