# Copyright (c) mmrecast contributors. All rights reserved.
"""Session fixtures shared by the test packages, and the set-up of a
parallel run (``pytest -n N``, pytest-xdist)."""
import os
import tempfile
from pathlib import Path

import pytest

from mmrecast.utils import apply_compat_patches
from mmrecast.utils.runtime import set_cpu_threads
from tests.helpers import find_checkpoint, make_cifar10_subset, run_tool


def pytest_configure(config):
    """In a parallel run, each worker (and the tools it starts) gets its
    share of the cores, as ``tools/dist_train.sh`` gives each process."""
    workers = os.environ.get('PYTEST_XDIST_WORKER_COUNT')
    if workers and 'OMP_NUM_THREADS' not in os.environ:
        set_cpu_threads(int(workers))


def pytest_collection_modifyitems(config, items):
    """In a parallel run, the longest tests start first (``heavy``, then
    ``slow``), so that no worker is left alone with one at the end."""
    if 'PYTEST_XDIST_WORKER' not in os.environ:
        return

    def rank(item) -> int:
        return 0 if item.get_closest_marker('heavy') else \
            1 if item.get_closest_marker('slow') else 2

    items.sort(key=rank)  # stable: the rest keeps its order


def pytest_make_parametrize_id(config, val, argname):
    """A config path names its test case in full: pytest names a value over
    100 characters ``<argname><index>``, which ``-k`` cannot select."""
    if isinstance(val, str) and val.endswith('.py'):
        return val
    return None


@pytest.fixture(scope='session', autouse=True)
def compat_layer():
    """What every tool does first; in-process runner tests need it too."""
    apply_compat_patches()


@pytest.fixture
def temp_folder() -> Path:
    """An empty folder for a process's ``TMPDIR``, at a short path: a data
    loader worker's socket goes in a folder below it, and a socket path
    over 107 bytes (deep under ``tmp_path`` in a parallel run) fails, and
    the loader then waits for the worker for ever."""
    with tempfile.TemporaryDirectory(prefix='mmrecast-') as folder:
        yield Path(folder)


@pytest.fixture(scope='session')
def cifar10_tiny(tmp_path_factory) -> Path:
    """A real CIFAR-10 image folder: 4 train and 2 test images per class."""
    root = tmp_path_factory.mktemp('cifar10_tiny')
    make_cifar10_subset(root, 4, 'train')
    make_cifar10_subset(root, 2, 'test')
    return root


@pytest.fixture(scope='session')
def resnet20_akamaster(tmp_path_factory) -> Path:
    """The pre-trained akamaster ResNet-20, converted by the tool."""
    out = tmp_path_factory.mktemp('teacher') / 'resnet20.pth'
    proc = run_tool([
        'model_converters/akamaster_resnet_to_mmrecast.py',
        find_checkpoint('resnet20-'), out
    ], cwd=out.parent)
    assert proc.returncode == 0, proc.stdout[-2000:]
    return out
