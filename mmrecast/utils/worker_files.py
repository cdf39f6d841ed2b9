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
import os
import shutil
from multiprocessing import util

from .errors import print_warning

__all__ = ['share_temp_folder', 'end_workers']


#: the longest path a Unix socket can have, in bytes (``sun_path``, less
#: its closing NUL), and the length of the name a worker's socket gets
#: there (``/listener-`` and 8 characters)
_SOCKET_PATH_MAX, _SOCKET_NAME = 107, 18


def share_temp_folder() -> None:
    """Make this process's temporary folder now, so that the data loader
    workers it starts later use it instead of one each. A folder too deep
    for their sockets is warned of: a worker fails to open its socket
    there and its loader waits for it for ever."""
    folder = util.get_temp_dir()
    if len(os.fsencode(folder)) + _SOCKET_NAME > _SOCKET_PATH_MAX:
        print_warning(
            f'temporary folder {folder}: too deep for the sockets of data '
            f'loader workers (a socket path ends at {_SOCKET_PATH_MAX} '
            'bytes), so a run with num_workers > 0 would wait for ever; '
            'set TMPDIR to a shorter folder, e.g. /tmp')


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
