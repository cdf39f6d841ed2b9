# Copyright (c) mmrecast contributors. All rights reserved.
"""``tools/benchmarks/input_pipeline.py`` reads the same batches through
each config's training pipeline, first and again, and compares them."""
import re

import pytest

from tests.helpers import (config_path, data_root_options, make_cifar10_subset,
                           run_tool_in_process)

CONFIG = config_path(
    'recasting', 'recast_backbone_resnet20-akamaster_convnet20_1xb64_'
    'cifar10-folder_finetune-parallel_bf16.py')

PER_IMAGE = """_base_ = [{config!r}]
train_dataloader = dict(
    persistent_workers=False,
    collate_fn=dict(_delete_=True, type='default_collate'),
    dataset=dict(pipeline=[
        dict(type='LoadImageFromFile'),
        dict(type='RandomCrop', crop_size=32, padding=4),
        dict(type='RandomFlip', prob=0.5, direction='horizontal'),
        dict(type='PackInputs')]))
"""


@pytest.fixture
def data_root(tmp_path):
    root = tmp_path / 'cifar10'
    make_cifar10_subset(root, per_class=2, split='train')
    return root


def test_both_pipelines_are_read_and_compared(tmp_path, data_root):
    per_image = tmp_path / 'per_image.py'
    per_image.write_text(PER_IMAGE.format(config=CONFIG))
    code, out, err = run_tool_in_process('benchmarks/input_pipeline.py', [
        per_image, CONFIG, '--reps', 3, '--threads', 1, '--cfg-options',
        'train_dataloader.batch_size=4', *data_root_options(data_root)
    ])
    assert code == 0, err[-2000:]
    lines = out.strip().splitlines()
    assert lines[0] == ('training input pipeline, batch 4, CPU, 1 threads, '
                        'no workers: a pool of 4 batches read first, then '
                        'again in 3 interleaved rounds')
    # both pipelines give batches of the same form: uint8 images, cropped
    # back to 32 x 32 after the padding
    for line, name in zip(lines[1:3], ('per_image.py', CONFIG.split('/')[-1])):
        assert re.fullmatch(
            rf'{re.escape(name)} +first read [\d.]+ ms  read again [\d.]+ ms'
            r'  inputs \(4, 3, 32, 32\)', line), line
    assert re.fullmatch(
        rf'speed-up of {re.escape(CONFIG.split("/")[-1])}: first read '
        r'[\d.]+x, read again [\d.]+x \(median of the per-batch and '
        r'per-round ratios\)', lines[3]), lines[3]
    assert len(lines) == 4


@pytest.mark.parametrize('options, message', [
    (['--pool', 6], f'error: {CONFIG}: its training data has 20 images, '
     'fewer than --pool 6 batches of 4; lower --pool'),
    (['--cfg-options', 'train_dataloader.batch_sise=4'],
     'error: train_dataloader.batch_sise: not an argument of DataLoader; '
     'did you mean `batch_size`?'),
])
def test_a_wrong_setting_is_one_line(data_root, options, message):
    args = [CONFIG, '--reps', 1, '--threads', 1, *options,
            '--cfg-options', 'train_dataloader.batch_size=4',
            *data_root_options(data_root)]
    code, out, err = run_tool_in_process('benchmarks/input_pipeline.py', args)
    assert code == 2
    assert err.strip().splitlines() == [message]


def test_batches_of_different_sizes_are_refused(tmp_path, data_root):
    for name, size in (('a.py', 4), ('b.py', 8)):
        (tmp_path / name).write_text(
            f'_base_ = [{CONFIG!r}]\n'
            f'train_dataloader = dict(batch_size={size})\n')
    code, out, err = run_tool_in_process('benchmarks/input_pipeline.py', [
        tmp_path / 'a.py', tmp_path / 'b.py', '--pool', 1, '--reps', 1,
        '--threads', 1, '--cfg-options', *data_root_options(data_root)
    ])
    assert code == 2
    assert err.strip().splitlines() == [
        'error: the configs read batches of different sizes (4, 8); set one '
        'with --cfg-options train_dataloader.batch_size=N'
    ]
