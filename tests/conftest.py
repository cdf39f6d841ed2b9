# Copyright (c) mmrecast contributors. All rights reserved.
"""Session fixtures shared by the test packages."""
from pathlib import Path

import pytest

from mmrecast.utils import apply_compat_patches
from tests.helpers import find_checkpoint, make_cifar10_subset, run_tool


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
