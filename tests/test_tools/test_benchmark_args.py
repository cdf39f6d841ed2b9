# Copyright (c) mmrecast contributors. All rights reserved.
"""The step benchmarks and the GPU check refuse a wrong request in one line,
before any work (the GPU ones only where no GPU is there to refuse)."""
import sys

import pytest
import torch

from tests.helpers import REPO, run_tool, run_tool_in_process

no_cuda = pytest.mark.skipif(
    torch.cuda.is_available(),
    reason='the refusal is for a machine without a CUDA GPU')


@pytest.mark.parametrize('tool, args, line', [
    pytest.param('benchmarks/recast_step.py', ['--device', 'cuda'],
                 '--device cuda: this machine has no CUDA GPU; use --device '
                 'cpu', marks=no_cuda),
    pytest.param('benchmarks/distill_step.py', ['--device', 'cuda:0'],
                 '--device cuda:0: this machine has no CUDA GPU; use '
                 '--device cpu', marks=no_cuda),
    ('benchmarks/distill_step.py', ['--amp'], '--amp needs --device cuda'),
    # counts below 1 (the flags every step benchmark shares)
    ('benchmarks/recast_step.py', ['--reps', '0'],
     "argument --reps: '0': give a whole number of at least 1"),
    ('benchmarks/library_step.py', ['--threads', '0'],
     "argument --threads: '0': give a whole number of at least 1"),
    ('benchmarks/library_step.py', ['--batch', '-1'],
     "argument --batch: '-1': give a whole number of at least 1"),
    ('benchmarks/library_step.py',
     ['--config', 'configs/resnet_cifar/resnet20_akamaster_cifar10-folder.py'],
     "model.type='ImageClassifier': library_step.py needs a CandidateLibrary "
     'config'),
    # each config's own options reach it (before any timing)
    ('benchmarks/library_step.py',
     ['--library-cfg-options', 'model.candidates.0.blocks=backbone.layer9.*'],
     "model.candidates[0].blocks ['backbone.layer9.*'] match no block"),
    ('benchmarks/library_step.py',
     ['--recast-cfg-options', 'model.mdoe=parallel'],
     'model.mdoe: not an argument of BlockRecast; did you mean `mode`?'),
    ('benchmarks/library_step.py',
     ['--library-cfg-options', 'model.candidates.0.blocks'],
     "library_step.py: error: --library-cfg-options "
     "'model.candidates.0.blocks': write KEY=VALUE"),
    ('benchmarks/distill_step.py', ['--iters', '0'],
     "argument --iters: '0': give a whole number of at least 1"),
    ('benchmarks/train_step.py',
     ['any.py', '--compare', 'bfloat16', '--reps', 'two'],
     "argument --reps: 'two': give a whole number of at least 1"),
    ('benchmarks/train_step.py', ['any.py', '--compare', 'fp8'],
     "argument --compare: invalid choice: 'fp8'"),
    ('benchmarks/input_pipeline.py', ['any.py', '--pool', '0'],
     "argument --pool: '0': give a whole number of at least 1"),
])
def test_step_benchmarks_refuse_in_one_line(tool, args, line):
    code, out, err = run_tool_in_process(tool, args)
    assert code == 2
    assert line in err.strip().splitlines()[-1]
    assert out == ''


@no_cuda
def test_gpu_check_refuses_a_machine_without_gpu(tmp_path):
    out_dir = tmp_path / 'out'
    proc = run_tool(['benchmarks/gpu_check.sh', out_dir], cwd=REPO,
                    timeout=120)
    assert proc.returncode == 2
    assert proc.stdout.strip().splitlines() == [
        f'error: gpu_check.sh: {sys.executable} '
        'sees no CUDA GPU; run it on a machine with one (or set PYTHON to '
        'the interpreter that has CUDA torch)']
    assert not out_dir.exists()
