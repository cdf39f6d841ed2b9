# Copyright (c) mmrecast contributors. All rights reserved.
"""Factor Transfer through the tools, as a user runs it: a real teacher
(the converted akamaster ResNet-44), 2 gloo processes per stage, explicit
stage hand-over, student export, evaluation of the export."""
import re

import pytest
import torch

from mmrecast.utils import load_checkpoint_file
from tests.helpers import (config_path, data_root_options, find_checkpoint,
                           free_port, onnx_matches_torch, run_tool,
                           top1_in_process)

pytestmark = pytest.mark.slow  # runs the tools in subprocesses

CONFIG = config_path(
    'factor_transfer',
    'factor-transfer_backbone_resnet44-akamaster_resnet20_1xb128_'
    'cifar10-folder_{}.py')
FAST = [
    'train_cfg.max_epochs=1', 'train_dataloader.batch_size=8',
    'train_dataloader.num_workers=0',
    'train_dataloader.persistent_workers=False',
    'default_hooks.logger.interval=1'
]


def test_pretrain_distill_export_evaluate(cifar10_tiny, tmp_path):
    teacher = tmp_path / 'resnet44_akamaster.pth'
    proc = run_tool([
        'model_converters/akamaster_resnet_to_mmrecast.py',
        find_checkpoint('resnet44-'), teacher
    ], cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-2000:]
    data = data_root_options(cifar10_tiny)

    # stage 1: the paraphraser alone trains on teacher features
    pre_dir = tmp_path / 'pretrain'
    proc = run_tool([
        'dist_train.sh', CONFIG.format('pretrain'), 2, '--work-dir', pre_dir,
        '--cfg-options', f'model.teacher_checkpoint={teacher}', *FAST,
        data[0]
    ], cwd=tmp_path, env=dict(PORT=free_port()))
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert 'GPU number: 2' in proc.stdout and 'loss_rec:' in proc.stdout
    stage1 = load_checkpoint_file(pre_dir / 'epoch_1.pth')['state_dict']
    assert not any(k.startswith('student.') for k in stage1)

    # stage 2: student + translator, the stage-1 paraphraser handed over
    dir2 = tmp_path / 'train'
    proc = run_tool([
        'dist_train.sh', CONFIG.format('train'), 2, '--work-dir', dir2,
        '--cfg-options', f'model.teacher_checkpoint={teacher}',
        f'model.init_from.0.checkpoint={pre_dir}', 'val_dataloader.'
        'num_workers=0', *FAST, *data
    ], cwd=tmp_path, env=dict(PORT=free_port()))
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert re.search(r'loss_cls: [\d.]+\s+loss_ft: [\d.]+', proc.stdout)
    stage2 = load_checkpoint_file(dir2 / 'epoch_1.pth')['state_dict']
    for key, value in stage1.items():
        if key.startswith('connectors.paraphraser.'):
            assert torch.equal(stage2[key], value), key  # frozen, as given

    # export the student alone and evaluate it with no teacher around
    proc = run_tool(['export_student.py', CONFIG.format('train'),
                     dir2 / 'epoch_1.pth', tmp_path / 'export'],
                    cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-2000:]
    exported = load_checkpoint_file(tmp_path / 'export' / 'student.pth')
    assert all(not k.startswith(('teacher', 'connectors', 'student.'))
               for k in exported['state_dict'])
    proc = run_tool([
        'dist_test.sh', tmp_path / 'export' / 'student.py',
        tmp_path / 'export' / 'student.pth', 1, '--work-dir', tmp_path,
        '--cfg-options', data[2]
    ], cwd=tmp_path, env=dict(PORT=free_port()))
    assert proc.returncode == 0, proc.stdout[-3000:]
    top1 = float(re.findall(r'accuracy/top1: ([\d.]+)', proc.stdout)[-1])
    expected = top1_in_process(tmp_path / 'export' / 'student.py',
                               tmp_path / 'export' / 'student.pth',
                               cifar10_tiny)
    assert abs(top1 - expected) < 1e-3
    exported = (tmp_path / 'export' / 'student.py').read_text()
    header, body = exported.split('\n\n', 1)  # comment lines, config
    assert '# teacher: ImageClassifier / mmrecast.CifarResNet 44' in header
    assert 'teacher' not in body

    # the Factor Transfer student in onnxruntime, on real test images
    onnx_matches_torch(tmp_path / 'export' / 'student.py',
                       tmp_path / 'export' / 'student.pth', tmp_path)
