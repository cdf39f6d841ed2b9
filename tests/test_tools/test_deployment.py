# Copyright (c) mmrecast contributors. All rights reserved.
"""tools/deployment/: pytorch2onnx.py --verify and test_onnx.py on a real
teacher (the converted akamaster ResNet-20) and a recast ConvNet-20, on the
1,017 real CIFAR-10 test images: parity on every verified image, the same
accuracy in onnxruntime as in torch; a torch.export program that loads
without mmrecast."""
import re
import subprocess
import sys

import pytest

from tests.helpers import config_path, onnx_matches_torch, run_tool_in_process

pytestmark = pytest.mark.slow  # real data, a converter subprocess

TEACHER = config_path('resnet_cifar', 'resnet20_akamaster_cifar10-folder.py')
RECAST = config_path(
    'recasting', 'recast_backbone_resnet20-akamaster_convnet20_1xb64_'
    'cifar10-folder_recast.py')


@pytest.fixture(scope='module')
def teacher(resnet20_akamaster):
    return resnet20_akamaster


def test_teacher_in_onnxruntime(teacher, tmp_path):
    top1 = onnx_matches_torch(TEACHER, teacher, tmp_path, '--dynamic-export')
    assert top1 == pytest.approx(91.6, abs=0.3)  # its published accuracy


def test_recast_student_in_onnxruntime(teacher, tmp_path, cifar10_tiny):
    """All 9 blocks recast (one iteration each), exported as the plain
    ConvNet-20 it is, then to ONNX."""
    work = tmp_path / 'recast'
    code, out, err = run_tool_in_process('train.py', [
        RECAST, '--work-dir', work, '--cfg-options',
        f'model.teacher_checkpoint={teacher}', 'train_cfg.iters_per_stage=1',
        'train_cfg.val_each_stage=False', 'train_dataloader.batch_size=8',
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        f'train_dataloader.dataset.data_root={cifar10_tiny}',
        'default_hooks.checkpoint.interval=9'
    ])
    assert code == 0, out[-2000:] + err[-2000:]
    code, out, err = run_tool_in_process('export_student.py', [
        RECAST, work / 'stage_9.pth', tmp_path / 'export'])
    assert code == 0, err
    config = tmp_path / 'export' / 'student.py'
    assert "type='mmrecast.ConvNet'" in config.read_text()
    onnx_matches_torch(config, tmp_path / 'export' / 'student.pth', tmp_path)


def test_torch_export_program_loads_with_torch_alone(teacher, tmp_path):
    program = tmp_path / 'new' / 'teacher.pt2'  # a folder made to write it
    code, out, err = run_tool_in_process('deployment/pytorch2onnx.py', [
        TEACHER, teacher, '--output-file', program, '--dynamic-export',
        '--verify', '--verify-images', 16
    ])
    assert code == 0, out[-2000:] + err[-2000:]
    assert out.strip().splitlines()[-1].endswith('top1_agreement=16/16')
    check = ('import sys, torch\n'
             f'm = torch.export.load({str(program)!r}).module()\n'
             'print(tuple(m(torch.zeros(3, 3, 32, 32)).shape))\n'
             'print(sorted(n for n in sys.modules if n.split(".")[0] in '
             '("mmrecast", "mmpretrain", "mmengine", "mmcv")))\n')
    proc = subprocess.run([sys.executable, '-c', check], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split('\n')[:2] == ['(3, 10)', '[]']


def test_parity_failure_names_the_worst_image(teacher, tmp_path):
    code, out, _ = run_tool_in_process('deployment/pytorch2onnx.py', [
        TEACHER, teacher, '--output-file', tmp_path / 'new' / 'm.onnx',
        '--verify', '--verify-images', 8, '--rtol', 0
    ])
    assert code == 1, out[-2000:]
    failed, last = out.strip().splitlines()[-2:]
    assert re.fullmatch(
        r'parity failed: image \d differs most \(top-1 torch \d, '
        r'onnxruntime \d\); tolerance 0 x [\d.]+', failed), failed
    assert last.startswith('verify: max_abs_diff=') and last.endswith(
        'top1_agreement=8/8')
