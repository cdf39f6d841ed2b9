# Copyright (c) mmrecast contributors. All rights reserved.
"""Session fixtures shared by the test packages."""
from pathlib import Path

import pytest

from mmrecast.utils import apply_compat_patches
from tests.helpers import make_cifar10_subset


@pytest.fixture(scope='session', autouse=True)
def compat_layer():
    """What every tool does first; in-process runner tests need it too."""
    apply_compat_patches()


@pytest.fixture(scope='session')
def cifar10_tiny(tmp_path_factory) -> Path:
    """A real CIFAR-10 image folder: 4 train and 2 test images per class."""
    root = tmp_path_factory.mktemp('cifar10_tiny')
    make_cifar10_subset(root, 4, 'train')
    make_cifar10_subset(root, 2, 'test')
    return root
