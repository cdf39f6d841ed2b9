# Copyright (c) mmrecast contributors. All rights reserved.
"""One temporary folder for a tool and the data loader workers it starts.

A worker that hands a batch to its main process opens a socket in
multiprocessing's temporary folder (``/tmp/pymp-*``), and makes a folder
of its own for it unless its parent made one first. A persistent worker is
still running when the tool ends, and multiprocessing kills it there (torch
cannot stop it first: the loader is freed with the runner's reference
cycles, its queues before it), so the worker's folder stays behind, run
after run. Made by the main process before any worker starts, the one
folder is shared and removed when the main process exits.
"""
import multiprocessing
import shutil
from multiprocessing import util

__all__ = ['share_temp_folder', 'end_workers']


def share_temp_folder() -> None:
    """Make this process's temporary folder now, so that the data loader
    workers it starts later use it instead of one each."""
    util.get_temp_dir()


def end_workers() -> None:
    """For a process about to leave with ``os._exit``, which skips
    multiprocessing's exit: stop its daemon children (the data loader
    workers) and remove its temporary folder, as a normal exit does."""
    workers = [p for p in multiprocessing.active_children() if p.daemon]
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.join()
    shutil.rmtree(util.get_temp_dir(), ignore_errors=True)
