# Copyright (c) mmrecast contributors. All rights reserved.
"""tools/benchmarks/recast_budget.py end to end: warm-ups, sized stages
handing over their weights, export, evaluation of the export."""
import json
import math
import re
import runpy

import pytest
import torch

from tests.helpers import (REPO, data_root_options, run_tool,
                           run_tool_in_process)

C20 = ('configs/recasting/recast_backbone_resnet20-akamaster_convnet20_'
       '1xb64_cifar10-folder')


@pytest.mark.slow
@pytest.mark.heavy
def test_method_of_own_stages_within_a_budget(tmp_path, cifar10_tiny,
                                              resnet20_akamaster):
    # the teacher-fed stages with even shares: each stage's share stays
    # above its start-up also on a slow, loaded machine (tests run in
    # parallel; at 95 s the warm-ups of a 3x slower machine took 43 s)
    work = tmp_path / 'run'
    result = run_tool([
        'benchmarks/recast_budget.py', 'teacher-fed-even', '--budget', 150,
        '--stages', f'{C20}_recast-parallel.py:0.5',
        f'{C20}_finetune-parallel.py:0.5', '--warmup-iters', 20,
        '--work-dir', work, '--cfg-options',
        f'model.teacher_checkpoint={resnet20_akamaster}',
        *data_root_options(cifar10_tiny),
        # 40 images: no worker processes to restart at every epoch
        'train_dataloader.batch_size=8', 'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        # one stage's own setting, after the common ones
        '--stage-options', '1', 'optim_wrapper.optimizer.lr=0.0005'
    ], cwd=REPO, timeout=600)
    out = result.stdout
    assert result.returncode == 0, out[-3000:]
    # each stage was sized from its warm-up, with its schedule stretched
    sized = re.findall(r'stage(\d): \S+ (\d+) iterations', out)
    assert [s for s, _ in sized] == ['0', '1']
    # the fine-tune (cosine, iteration loop) is sized 2x what its warm-up
    # fits and ended by its deadline; the recast loop by its warm-up alone
    fits = re.search(r'stage1: .*; (\d+) fit at that pace, the deadline '
                     r'ends it\)', out)
    assert fits and int(sized[1][1]) == math.ceil(2 * int(fits[1]))
    assert 'fit at that pace' not in re.search(r'stage0: .*', out)[0]
    commands = (work / 'commands.sh').read_text().splitlines()
    stage1 = next(c for c in commands if '/stage1 ' in c)
    iters = sized[1][1]
    assert f'train_cfg.max_iters={iters}' in stage1
    assert f'param_scheduler.T_max={iters}' in stage1
    # the fine-tune starts from the recast stage's weights
    assert f'model.init_from.0.checkpoint={work}/stage0' in stage1
    # both stages end by their shares even if the machine slows (the
    # parallel recast loop has one stage, which can end early)
    assert re.search(r' --deadline \d+ ', stage1)
    stage0 = next(c for c in commands if '/stage0 ' in c)
    assert re.search(r' --deadline \d+ ', stage0)
    assert 'model.init_from=None' in next(c for c in commands
                                          if '/warmup1 ' in c)
    # --stage-options reach their stage (warm-up, run) and no other
    own = 'optim_wrapper.optimizer.lr=0.0005'
    assert [c for c in commands if own in c] == [
        c for c in commands if re.search(r'/(warmup1|stage1|export) ', c)]
    # the exported student, evaluated by the test tool
    assert (work / 'export' / 'student.pth').is_file()
    saved = json.loads((work / 'result.json').read_text())
    header, row = out.strip().splitlines()[-2:]
    assert header == 'method budget_s wall_s top1'
    method, budget, wall, top1 = row.split()
    assert (method, float(budget)) == ('teacher-fed-even', 150)
    assert float(top1) == saved['top1'] and 0 <= saved['top1'] <= 100
    test_log = (work / 'test.log').read_text()
    assert f'accuracy/top1: {top1}' in test_log
    # what to keep with the number: all of it, condensed in one file
    summary = (work / 'summary.log').read_text()
    assert summary.startswith('# tools/benchmarks/recast_budget.py run: run\n'
                              '## result.json\n{')
    assert stage1 in summary and f'accuracy/top1: {top1}' in summary
    assert re.findall(r'^## (\w+)\.log', summary, re.M) == [
        'warmup0', 'warmup1', 'stage0', 'stage1', 'export', 'test']
    # a finished run is not overwritten
    again = run_tool(['benchmarks/recast_budget.py', 'teacher-fed',
                      '--budget', 110, '--work-dir', work], cwd=REPO)
    assert again.returncode == 2
    assert again.stdout.strip().splitlines()[-1] == (
        f'error: {work}: holds a finished run; choose another --work-dir')


KD = f'error: {C20}_kd-scratch.py: '
CE = 'configs/convnet/convnet20_1xb128_cifar10-folder_scratch-budget.py'
RECAST = f'error: {C20}_recast-parallel.py: '


@pytest.mark.parametrize('args, line', [
    (['teacher-fd'], "error: method 'teacher-fd': not built in"),
    (['kd-scratch', '--cfg-options', 'trian_dataloader.batch_size=8'],
     KD + 'trian_dataloader: not a config field; did you mean '
     '`train_dataloader`?'),
    (['kd-scratch', '--cfg-options', 'train_dataloader.batch_sise=8'],
     KD + 'train_dataloader.batch_sise: not an argument of DataLoader; '
     'did you mean `batch_size`?'),
    (['teacher-fed', '--cfg-options',
      'model.teacher_checkpoint=checkpoints/resnet20_akamastr.pth'],
     RECAST + 'model.teacher_checkpoint: checkpoints/resnet20_akamastr.pth: '
     'no such checkpoint file'),
    (['kd-scratch-bf16', '--cfg-options', 'optim_wrapper.dtype=bfloat61'],
     f"error: {C20}_kd-scratch_bf16.py: optim_wrapper.dtype: 'bfloat61': "
     'AutocastOptimWrapper runs bfloat16 only'),
    pytest.param(['kd-scratch', '--cfg-options',
                  'optim_wrapper.type=AmpOptimWrapper'],
                 KD + 'optim_wrapper.type=AmpOptimWrapper (--amp) needs a '
                 'CUDA GPU',
                 marks=pytest.mark.skipif(torch.cuda.is_available(),
                                          reason='checks the CPU path')),
    # --cfg-options go to every stage: a list index meets the recast
    # stage's single scheduler
    (['teacher-fed', '--cfg-options', 'param_scheduler.0.endd=5'],
     RECAST + 'param_scheduler.0: param_scheduler is one scheduler here '
     '(StepLR), not a list'),
    (['sgd', '--stages', f'{C20}_finetune-parallel_sgd-warmup_bf16.py:1',
      '--cfg-options', 'param_scheduler.0.endd=5'],
     f'error: {C20}_finetune-parallel_sgd-warmup_bf16.py: param_scheduler.'
     '0.endd: not an argument of LinearLR; did you mean `end`?'),
    (['kd-scratch', '--cfg-options', 'optim_wrapper.optimizer.lr=-1'],
     KD + 'optim_wrapper.optimizer.lr=-1: must be a number >= 0'),
    # --stage-options go to their stage alone: stage 1 (the recast) is
    # named, where stage 0's cosine would have refused the key first
    (['mine', '--stages', f'{CE}:0.5', f'{C20}_recast-parallel.py:0.5',
      '--stage-options', '1', 'param_scheduler.gama=0.5'],
     RECAST + 'param_scheduler.gama: not an argument of StepLR; did you '
     'mean `gamma`?'),
    (['teacher-fed', '--stage-options', '2', 'param_scheduler.gamma=0.5'],
     'error: --stage-options 2: give a stage number from 0 to 1'),
    (['teacher-fed', '--stage-options', '0'],
     'error: --stage-options 0: give a stage number from 0 to 1 (the '
     'stages in order), then KEY=VALUE pairs'),
    (['teacher-fed', '--headroom', '0.8'],
     'error: --headroom 0.8: give 1 or more'),
    (['teacher-fed', '--warmup-iters', '0'],
     "recast_budget.py: error: argument --warmup-iters: '0': give a whole "
     'number of at least 1'),
])
def test_mistakes_stop_before_any_run(tmp_path, args, line):
    code, out, err = run_tool_in_process('benchmarks/recast_budget.py', [
        *args, '--budget', 900, '--work-dir', tmp_path / 'run'])
    assert code == 2
    assert err.strip().splitlines()[-1].startswith(line)
    assert not (tmp_path / 'run').exists()


def test_built_in_methods_name_configs_that_exist():
    # a misspelt config would only show when someone runs that method
    methods = runpy.run_path(
        str(REPO / 'tools' / 'benchmarks' / 'recast_budget.py'),
        run_name='recast_budget')['METHODS']
    missing = [(name, cfg) for name, stages in methods.items()
               for cfg, _ in stages if not (REPO / cfg).is_file()]
    assert not missing
    for stages in methods.values():
        assert math.isclose(sum(share for _, share in stages), 1.0)
