# Copyright (c) mmrecast contributors. All rights reserved.
"""Weights-only checkpoint loading for mmengine on torch >= 2.6.

mmengine 0.10.7 calls ``torch.load`` without ``weights_only``. On torch >= 2.6
that means weights-only, and mmengine's own training checkpoints fail to load
because their message hub pickles ``HistoryBuffer`` objects holding numpy
arrays and a table of bound methods (pickled through ``builtins.getattr``).

Loading such a file with ``weights_only=False`` would fix it, but a pickle
somebody else made can run arbitrary code that way. mmrecast instead:

* loads with exactly the extra types mmengine's checkpoints hold (numpy
  arrays, scalars and dtypes, ``HistoryBuffer``) allowed, for that load only
  (:func:`torch.serialization.safe_globals`);
* when the compatibility layer is on (:mod:`mmrecast.utils.compat`), stops
  ``HistoryBuffer`` from pickling its method table, so checkpoints written
  contain nothing else, and routes mmengine's ``CheckpointLoader`` (resume,
  ``load_from``, ``init_cfg=dict(type='Pretrained')``, ``tools/test.py``)
  through :func:`load_checkpoint_file`.

The opt-in for a trusted third-party file is ``unsafe_load = True`` in the
config, ``--unsafe-load`` on the tools, or ``MMRECAST_UNSAFE_LOAD=1``.
"""
import errno
import glob
import os
import os.path as osp
import pickle
import zipfile
from typing import Callable, List, Optional, Tuple, Union

import numpy as np
import torch
from mmengine.logging import HistoryBuffer

from .errors import CheckpointFileError, first_line

__all__ = [
    'UnsafeCheckpointError', 'load_checkpoint_file', 'set_unsafe_load',
    'unsafe_load_enabled', 'patch_history_buffer', 'patch_checkpoint_loader',
    'UNSAFE_LOAD_ENV', 'is_intact_checkpoint', 'latest_intact_checkpoint',
    'write_text_atomically'
]

#: Environment variable that opts in to full unpickling (``1``/``true``).
UNSAFE_LOAD_ENV = 'MMRECAST_UNSAFE_LOAD'

# every tool that loads checkpoints takes --unsafe-load
_OPT_IN_HINT = (f'if you trust this file, pass --unsafe-load (or export '
                f'{UNSAFE_LOAD_ENV}=1)')

# None: follow the environment variable.
_unsafe_load: Optional[bool] = None


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint holds objects that weights-only loading refuses."""


def set_unsafe_load(enabled: Optional[bool]) -> None:
    """Allow (or forbid) full unpickling of checkpoints in this process.

    Args:
        enabled (bool, optional): ``True`` to unpickle any checkpoint,
            ``False`` for weights-only loading, ``None`` to follow the
            ``MMRECAST_UNSAFE_LOAD`` environment variable.
    """
    global _unsafe_load
    _unsafe_load = enabled


def unsafe_load_enabled() -> bool:
    """Whether checkpoints are fully unpickled rather than weights-only."""
    if _unsafe_load is not None:
        return _unsafe_load
    return os.environ.get(UNSAFE_LOAD_ENV, '').lower() in ('1', 'true', 'yes')


def _numpy_globals() -> List[Union[Callable, Tuple[Callable, str]]]:
    """The numpy callables that pickled arrays, scalars and dtypes use."""
    multiarray = np._core.multiarray if hasattr(np, '_core') \
        else np.core.multiarray
    found: List[Union[Callable, Tuple[Callable, str]]] = [
        np.ndarray, np.dtype, multiarray._reconstruct, multiarray.scalar
    ]
    # Files written under numpy 1.x name the functions by their old module.
    found += [(multiarray._reconstruct, 'numpy.core.multiarray._reconstruct'),
              (multiarray.scalar, 'numpy.core.multiarray.scalar')]
    # numpy 2 pickles a dtype through its class (numpy.dtypes.Float64DType).
    dtypes = getattr(np, 'dtypes', None)
    if dtypes is not None:
        found += [getattr(dtypes, name) for name in dtypes.__all__]
    return found


def _history_buffer_getstate(self: HistoryBuffer) -> dict:
    """Pickle a ``HistoryBuffer`` without its statistics-method table.

    The table is class-level state, rebuilt by ``__setstate__`` and by the
    ``register_statistics`` decorators when their modules are imported, so
    nothing is lost; without it the pickle needs no ``builtins.getattr``.
    mmengine's own ``__getstate__`` also wrote the table into the instance
    ``__dict__``; working on a copy avoids that side effect.
    """
    state = self.__dict__.copy()
    state.pop('statistics_methods', None)
    return state


def patch_history_buffer() -> None:
    """Make ``HistoryBuffer`` pickle to weights-only-loadable data."""
    HistoryBuffer.__getstate__ = _history_buffer_getstate


def _unsafe_names(filename: str) -> str:
    """Name the globals that made weights-only loading refuse a file."""
    try:
        names = torch.serialization.get_unsafe_globals_in_checkpoint(filename)
    except Exception:  # legacy (non-zip) format: the scan cannot read it
        return 'objects outside the weights-only allow-list'
    return ', '.join(names) or 'objects outside the weights-only allow-list'


def load_checkpoint_file(filename: Union[str, os.PathLike],
                         map_location: Optional[Union[str, Callable,
                                                      torch.device]] = None,
                         mmap: bool = False):
    """Load a local checkpoint, weights-only unless unsafe load is enabled.

    Args:
        filename (str | PathLike): Path of the checkpoint file.
        map_location (str | callable | torch.device, optional): As in
            :func:`torch.load`.
        mmap (bool): Map the file instead of reading it (:func:`torch.load`
            ``mmap``): tensors are read only when touched, so reading just
            the ``meta`` of a large checkpoint is cheap. Files in torch's
            legacy (non-zip) format are read. Defaults to False.

    Returns:
        The unpickled checkpoint (usually a dict).

    Raises:
        FileNotFoundError: The file does not exist.
        UnsafeCheckpointError: The file holds objects that weights-only
            loading refuses, and unsafe loading is not enabled. The message
            names the objects and the opt-in.
    """
    filename = osp.expanduser(str(filename))
    if not osp.isfile(filename):
        raise FileNotFoundError(errno.ENOENT, 'no such checkpoint', filename)
    _check_format(filename)
    mmap = mmap and zipfile.is_zipfile(filename)  # torch maps zip files
    if unsafe_load_enabled():
        return torch.load(filename, map_location=map_location,
                          weights_only=False, mmap=mmap)
    try:
        with torch.serialization.safe_globals([HistoryBuffer,
                                               *_numpy_globals()]):
            return torch.load(filename, map_location=map_location,
                              weights_only=True, mmap=mmap)
    except pickle.UnpicklingError:
        if not zipfile.is_zipfile(filename):  # legacy format: cannot scan
            raise UnsafeCheckpointError(
                f'{filename}: weights-only loading refused this legacy-'
                f'format file (corrupt, or it holds objects that could run '
                f'code); {_OPT_IN_HINT}') from None
        raise UnsafeCheckpointError(
            f'{filename}: holds {_unsafe_names(filename)}, which mmrecast '
            f'does not unpickle by default (it could run code); '
            f'{_OPT_IN_HINT}') from None
    except (RuntimeError, EOFError, ValueError) as error:
        raise CheckpointFileError(
            f'{filename}: cannot be read as a checkpoint (truncated or '
            f'corrupt?): {first_line(error)}') from None


def _check_format(filename: str) -> None:
    """Refuse a file that cannot be a torch checkpoint, before unpickling
    (which would blame unsafe objects for a corrupt file)."""
    size = osp.getsize(filename)
    with open(filename, 'rb') as f:
        head = f.read(2)
    what = None
    if size == 0:
        what = 'it is empty (0 bytes)'
    elif head == b'PK' and not zipfile.is_zipfile(filename):
        what = f'its zip archive is incomplete ({size} bytes): truncated?'
    elif head not in (b'PK', b'\x80\x02'):
        what = 'it is neither a zip nor a legacy torch file: corrupt?'
    if what:
        raise CheckpointFileError(
            f'{filename}: not a valid checkpoint, {what}; use another file '
            'or save it again')


def is_intact_checkpoint(filename: str) -> bool:
    """Whether ``filename`` loads as a checkpoint with a ``meta`` entry
    (cheap: the file is mapped, not read)."""
    try:
        return 'meta' in load_checkpoint_file(filename, 'cpu', mmap=True)
    except Exception:  # any unreadable file is not intact
        return False


def latest_intact_checkpoint(work_dir: str) -> Tuple[Optional[str], str]:
    """The checkpoint to resume ``work_dir`` from.

    The file ``last_checkpoint`` names, when it is intact; otherwise the
    newest intact ``*.pth`` of the folder (a crash can leave an empty or
    dangling pointer, or a torn file).

    Returns:
        tuple: The path (None when there is none) and a one-line warning
        naming both files when it fell back ('' otherwise).
    """
    pointer = osp.join(work_dir, 'last_checkpoint')
    named = ''
    if osp.isfile(pointer):
        with open(pointer) as f:
            named = f.read().strip()
    if named and is_intact_checkpoint(named):
        return named, ''
    found = sorted(glob.glob(osp.join(work_dir, '*.pth')),
                   key=osp.getmtime, reverse=True)
    for path in found:
        if is_intact_checkpoint(path):
            said = repr(named) if named else 'nothing'
            return path, (f'{pointer} names {said}, which is not an intact '
                          f'checkpoint; resuming from {path}, the newest '
                          'intact one')
    return None, ''


def write_text_atomically(path: str, text: str) -> None:
    """Replace the file ``path`` by one holding ``text`` in one step: a
    reader sees the old content or the new, never a partial one."""
    partial = path + '.part'
    with open(partial, 'w') as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(partial, path)


def load_from_http(filename: str,
                   map_location=None,
                   model_dir: Optional[str] = None):
    """Download (rank 0 first) into torch's hub cache, then load safely."""
    from urllib.parse import urlparse

    from mmengine.dist import barrier, get_dist_info
    from torch.hub import download_url_to_file, get_dir

    model_dir = model_dir or osp.join(get_dir(), 'checkpoints')
    cached = osp.join(model_dir, osp.basename(urlparse(filename).path))
    rank, world_size = get_dist_info()
    if rank == 0 and not osp.isfile(cached):
        os.makedirs(model_dir, exist_ok=True)
        download_url_to_file(filename, cached, progress=False)
    if world_size > 1:
        barrier()
    return load_checkpoint_file(cached, map_location)


def patch_checkpoint_loader() -> None:
    """Send mmengine's local and http(s) checkpoint loading through here."""
    from mmengine.runner import CheckpointLoader

    # mmengine logs the loader by its name minus 'load_from_'.
    def load_from_local(filename, map_location=None):
        return load_checkpoint_file(filename, map_location)

    CheckpointLoader.register_scheme(prefixes='', force=True)(load_from_local)
    CheckpointLoader.register_scheme(
        prefixes=('http://', 'https://'), force=True)(load_from_http)
