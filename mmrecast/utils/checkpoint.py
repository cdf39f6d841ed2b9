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
import os
import os.path as osp
import pickle
import zipfile
from typing import Callable, List, Optional, Tuple, Union

import numpy as np
import torch
from mmengine.logging import HistoryBuffer

__all__ = [
    'UnsafeCheckpointError', 'load_checkpoint_file', 'set_unsafe_load',
    'unsafe_load_enabled', 'patch_history_buffer', 'patch_checkpoint_loader',
    'UNSAFE_LOAD_ENV'
]

#: Environment variable that opts in to full unpickling (``1``/``true``).
UNSAFE_LOAD_ENV = 'MMRECAST_UNSAFE_LOAD'

_OPT_IN_HINT = (f'if you trust this file, set `unsafe_load = True` in the '
                f'config, pass --unsafe-load to tools/train.py or '
                f'tools/test.py, or export {UNSAFE_LOAD_ENV}=1')

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
        raise FileNotFoundError(f'checkpoint {filename} can not be found.')
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
        raise UnsafeCheckpointError(
            f'checkpoint {filename} holds {_unsafe_names(filename)}, which '
            f'mmrecast does not unpickle by default (it could run code); '
            f'{_OPT_IN_HINT}.') from None


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
