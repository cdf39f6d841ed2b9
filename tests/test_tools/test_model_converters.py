# Copyright (c) mmrecast contributors. All rights reserved.
"""The converted akamaster teachers keep their published accuracy on the
real CIFAR-10 test images."""
import re

import pytest
import torch

from mmrecast.utils import load_checkpoint_file
from tests.helpers import config_path, find_checkpoint, find_data, run_tool

pytestmark = pytest.mark.slow  # runs the tools in subprocesses

CONVERTER = 'model_converters/akamaster_resnet_to_mmrecast.py'


@pytest.mark.parametrize('depth, top1', [(20, 91.6), (32, 92.8), (44, 93.4)])
def test_converted_teacher_accuracy(depth, top1, tmp_path):
    src = find_checkpoint(f'resnet{depth}-')
    data_root = find_data('cifar10')
    config = config_path('resnet_cifar',
                         f'resnet{depth}_akamaster_cifar10-folder.py')
    dst = tmp_path / f'resnet{depth}.pth'
    proc = run_tool([CONVERTER, src, dst, '--verify', config], cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-2000:]
    # the result is a plain weights file
    assert torch.serialization.get_unsafe_globals_in_checkpoint(
        str(dst)) == []
    assert load_checkpoint_file(dst)['meta']['source'].startswith(
        'akamaster')

    proc = run_tool([
        'test.py', config, dst, '--work-dir', tmp_path, '--cfg-options',
        f'test_dataloader.dataset.data_root={data_root}'
    ], cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-2000:]
    measured = float(re.findall(r'accuracy/top1: ([\d.]+)', proc.stdout)[-1])
    assert measured == pytest.approx(top1, abs=0.3)


def test_converter_never_overwrites_its_source(tmp_path):
    src = tmp_path / 'same.th'
    src.write_bytes(b'x')
    proc = run_tool([CONVERTER, src, src], cwd=tmp_path)
    assert proc.returncode == 2 and 'dst must differ from src' in proc.stdout
    assert src.read_bytes() == b'x'
