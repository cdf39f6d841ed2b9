# Copyright (c) mmrecast contributors. All rights reserved.
"""``tools/benchmarks/train_step.py`` times a config's real training step
both ways and shows that both compute the same loss."""
import os
import re

import pytest
import torch

from tests.helpers import (config_path, data_root_options, make_cifar10_subset,
                           run_tool_in_process)

CONFIG = config_path('convnet', 'convnet20_1xb128_cifar10-folder_'
                     'scratch-budget.py')


RECAST = config_path('recasting', 'recast_backbone_resnet20-akamaster_'
                     'convnet20_1xb64_cifar10-folder_recast-parallel.py')


# a recast config's step is its first stage's, begun as RecastLoop begins
# it (all nine blocks at once, teacher-fed); its bfloat16 block MSE rounds
# more than a classifier's cross-entropy
@pytest.mark.parametrize('config, model, compare, names, rel', [
    (CONFIG, 'ImageClassifier', 'channels-last',
     ('default layout', 'channels-last'), 1e-2),
    (CONFIG, 'ImageClassifier', 'bfloat16', ('float32', 'bfloat16'), 1e-2),
    (CONFIG, 'ImageClassifier', 'compile', ('eager', 'compiled'), 1e-2),
    (RECAST, 'BlockRecast', 'bfloat16', ('float32', 'bfloat16'), 5e-2),
])
def test_both_ways_are_timed_on_the_same_weights(tmp_path, config, model,
                                                 compare, names, rel):
    root = tmp_path / 'cifar10'
    make_cifar10_subset(root, per_class=2, split='train')
    make_cifar10_subset(root, per_class=1, split='test')
    code, out, err = run_tool_in_process('benchmarks/train_step.py', [
        config, '--compare', compare, '--reps', 2, '--threads', 1,
        '--cfg-options', 'train_dataloader.batch_size=4',
        *data_root_options(root)
    ])
    assert code == 0, err[-2000:]
    lines = out.strip().splitlines()
    assert lines[0].startswith(f'{model}, batch 4, CPU, 1 threads')
    losses = []
    for line, name in zip(lines[1:3], names):
        match = re.fullmatch(rf'{name} +step [\d.]+ s  loss ([\d.]+)', line)
        assert match, line
        losses.append(float(match[1]))
    # the same weights and batch: the layout and compiling change no loss,
    # bfloat16 only its rounding
    assert losses[0] > 0
    assert losses[1] == pytest.approx(losses[0], rel=rel)
    assert re.fullmatch(rf'speed-up of {names[1]}: [\d.]+x \(median of '
                        r'the per-round ratios\)', lines[3]), lines[3]


def test_a_misspelt_option_is_one_line():
    code, out, err = run_tool_in_process('benchmarks/train_step.py', [
        CONFIG, '--compare', 'channels-last',
        '--cfg-options', 'train_dataloader.batch_sise=4'
    ])
    assert code == 2
    assert err.strip().splitlines() == [
        'error: train_dataloader.batch_sise: not an argument of DataLoader; '
        'did you mean `batch_size`?'
    ]


def test_a_tool_run_in_a_test_process_leaves_its_threads_and_env(
        monkeypatch):
    # a tool sets up its own process: two threads (setup_benchmark), and
    # LOCAL_RANK (every tool); run in a test's process, neither may outlive
    # the run: in a parallel suite's worker of one thread, two threads
    # oversubscribe the cores for every later test there
    threads = torch.get_num_threads()
    monkeypatch.delenv('LOCAL_RANK', raising=False)
    torch.set_num_threads(1)
    try:
        code, _, _ = run_tool_in_process('benchmarks/train_step.py', [
            CONFIG, '--compare', 'channels-last', '--threads', 2,
            '--cfg-options', 'train_dataloader.batch_sise=4'
        ])
        assert code == 2
        assert torch.get_num_threads() == 1
        code, _, _ = run_tool_in_process('test.py', [
            CONFIG, 'none', '--cfg-options', 'test_dataloader.batch_sise=4'
        ])
        assert code == 2
        assert 'LOCAL_RANK' not in os.environ
    finally:
        torch.set_num_threads(threads)
