# Copyright (c) mmrecast contributors. All rights reserved.
import json

import pytest
from mmengine.config import Config

from mmrecast.analysis.budget import (condense_log, ends_by_deadline,
                                      iterations_for, read_result, read_warmup,
                                      stage_seconds, stretch_options,
                                      warmup_options)
from mmrecast.utils.errors import ConfigError
from tests.helpers import config_path

C20 = ('recasting/recast_backbone_resnet20-akamaster_convnet20_1xb64_'
       'cifar10-folder')


def test_stretch_scales_iterations_and_schedule_of_a_train_loop():
    cfg = Config.fromfile(config_path(f'{C20}_finetune-parallel.py'))
    assert cfg.train_cfg.max_iters == 5000
    options = stretch_options(cfg, 7500)
    assert options == {
        'train_cfg.max_iters': 7500,
        'train_cfg.val_interval': 7500,
        'default_hooks.checkpoint.interval': 7500,
        'param_scheduler.T_max': 7500,
    }


def test_stretch_scales_each_stage_of_a_recast_loop():
    cfg = Config.fromfile(config_path(f'{C20}_recast.py'))
    # 1000 iterations per stage, StepLR x0.1 after 667
    options = stretch_options(cfg, 300)
    assert options['train_cfg.iters_per_stage'] == 300
    assert options['param_scheduler.step_size'] == 200
    assert 'train_cfg.max_iters' not in options


def test_stretch_scales_every_scheduler_of_a_list():
    cfg = Config(
        dict(
            train_cfg=dict(by_epoch=False, max_iters=100),
            param_scheduler=[
                dict(type='LinearLR', begin=0, end=10),
                dict(type='MultiStepLR', begin=10, milestones=[50, 75]),
                dict(type='ConstantLR', end=1e9),
            ]))
    options = warmup_options(cfg, 20, log_interval=5)
    assert options['param_scheduler.0.end'] == 2
    assert options['param_scheduler.1.begin'] == 2
    assert options['param_scheduler.1.milestones'] == [10, 15]
    assert 'param_scheduler.2.end' not in options  # open end stays open
    assert options['default_hooks.logger.interval'] == 5


def test_only_cosine_iteration_runs_are_left_to_their_deadline():
    finetune = Config.fromfile(config_path(f'{C20}_finetune-parallel.py'))
    assert ends_by_deadline(finetune)
    # the deadline re-aims cosines only: a step schedule cut short would
    # miss its drops
    assert not ends_by_deadline(
        Config.fromfile(config_path(f'{C20}_finetune.py')))
    assert not ends_by_deadline(
        Config.fromfile(config_path(f'{C20}_recast-parallel.py')))
    by_epoch = dict(type='CosineAnnealingLR', T_max=10)  # mmengine's default
    assert not ends_by_deadline(Config(dict(
        train_cfg=dict(by_epoch=False, max_iters=10),
        param_scheduler=[dict(by_epoch, by_epoch=False), by_epoch])))
    assert ends_by_deadline(  # a constant rate ends anywhere
        Config(dict(train_cfg=dict(by_epoch=False, max_iters=10))))


@pytest.mark.parametrize('warmup_end, ends', [
    (250, True), (100, True),
    (300, False),  # the warm-up runs into the cosine
    (None, False),  # mmengine's open end
])
def test_a_warmup_before_the_cosine_is_left_to_the_deadline(
        warmup_end, ends):
    warmup = dict(type='LinearLR', start_factor=0.01, by_epoch=False)
    if warmup_end is not None:
        warmup['end'] = warmup_end
    cosine = dict(type='CosineAnnealingLR', by_epoch=False, begin=250,
                  T_max=750)
    cfg = Config(dict(train_cfg=dict(by_epoch=False, max_iters=1000),
                      param_scheduler=[warmup, cosine]))
    assert ends_by_deadline(cfg) is ends
    # alone it may be any linear schedule: nothing the hook re-aims
    cfg.param_scheduler = [warmup]
    assert not ends_by_deadline(cfg)


def test_the_shipped_sgd_warmup_fine_tune_is_left_to_the_deadline():
    assert ends_by_deadline(Config.fromfile(
        config_path(f'{C20}_finetune-parallel_sgd-warmup_bf16.py')))


def test_a_run_sized_long_warms_up_for_the_iterations_that_fit():
    cfg = Config.fromfile(
        config_path(f'{C20}_finetune-parallel_sgd-warmup_bf16.py'))
    # warm-up over [0, 250), cosine over [250, 5000): 5 % warm-up
    options = stretch_options(cfg, 15000, planned=10000)
    assert options['train_cfg.max_iters'] == 15000
    assert options['param_scheduler.0.end'] == 500  # 5 % of 10000
    assert options['param_scheduler.1.begin'] == 500
    assert options['param_scheduler.1.end'] == 15000
    assert options['param_scheduler.1.T_max'] == 14500  # still ends at 15000
    # without a plan both stretch alike, and a schedule the deadline
    # cannot re-aim takes no plan
    assert stretch_options(cfg, 15000)['param_scheduler.0.end'] == 750
    with pytest.raises(ValueError, match='planned'):
        stretch_options(
            Config.fromfile(config_path(f'{C20}_finetune.py')), 15000,
            planned=10000)


def test_epoch_based_config_is_refused_with_its_field():
    cfg = Config(dict(train_cfg=dict(by_epoch=True, max_epochs=3)))
    with pytest.raises(ConfigError, match='train_cfg.max_iters'):
        stretch_options(cfg, 10)


def test_read_warmup_leaves_out_the_first_interval_and_a_stall(tmp_path):
    scalars = tmp_path / '20261130_000000' / 'vis_data' / 'scalars.json'
    scalars.parent.mkdir(parents=True)
    # the first interval pays the start-up, the fourth a stall
    times = [0.9, 0.2, 0.3, 1.6, 0.25]
    records = [dict(iter=10 * (i + 1), time=t, loss=1.0)
               for i, t in enumerate(times)]
    scalars.write_text('\n'.join(map(json.dumps, records)) + '\n')
    per_iter, done = read_warmup(str(tmp_path))
    assert per_iter == pytest.approx(0.275)
    assert done == 50


def test_read_warmup_without_log_names_the_folder(tmp_path):
    with pytest.raises(ConfigError, match=str(tmp_path)):
        read_warmup(str(tmp_path))


def test_iterations_fill_the_time_left_after_the_overhead():
    assert iterations_for(100, per_iter=0.5, overhead=20) == 160
    assert iterations_for(100, per_iter=0.5, overhead=10, stages=9) == 20
    with pytest.raises(ConfigError, match=r'^budget: 30 s for a stage whose '
                       r'start-up alone takes 30 s; give a larger --budget'):
        iterations_for(30, per_iter=0.5, overhead=30)
    # the warm-ups overran the budget: no "-17 s for a stage"
    with pytest.raises(ConfigError, match=r'^budget: no time left \(the '
                       r'warm-ups took the budget\) for a stage'):
        iterations_for(-17, per_iter=0.5, overhead=6)


def test_a_stage_gets_its_share_of_the_time_left_when_it_starts():
    shares = [1 / 6, 5 / 6]
    assert stage_seconds(600, shares, 0) == pytest.approx(100)
    # the first stage ended 60 s early: the fine-tune gets those seconds
    assert stage_seconds(560, shares, 1) == pytest.approx(560)
    assert stage_seconds(90, [0.2, 0.3, 0.5], 1) == pytest.approx(33.75)


def test_condensed_log_keeps_launch_every_nth_step_deadline_and_results():
    def train(i):
        return (f'12/01 18:44:24 - mmengine - INFO - Iter(train) [{i:4d}/3079]'
                '  lr: 1e-3  loss: 2.0')

    shortened = ('12/02 14:08:01 - mmengine - INFO - DeadlineHook: at 0.285 s '
                 'per iteration the run can end by its deadline at iteration '
                 '3050 of 3079; it now stops there (schedules and checkpoint '
                 'follow)')
    log = '\n'.join([
        'dist_launch: OMP_NUM_THREADS=2 per process', 'System environment:',
        '    dict(deadline=1796220243.07, type=\'mmrecast.DeadlineHook\'),',
        *(train(i) for i in range(10, 2000, 10)), shortened,
        *(train(i) for i in range(2000, 3051, 10)),
        'Saving checkpoint at 3050 iterations',
        'exported export/student.py and export/student.pth',
        '12/01 - mmengine - INFO - Iter(test) [8/8]    accuracy/top1: 85.5457'
    ])
    kept = condense_log(log, every=1000)
    assert kept == [
        'dist_launch: OMP_NUM_THREADS=2 per process',
        *(train(i) for i in (10, 20, 30, 40, 50, 1000)), shortened,
        *(train(i) for i in (2000, 3000)),
        'Saving checkpoint at 3050 iterations',
        'exported export/student.py and export/student.pth',
        '12/01 - mmengine - INFO - Iter(test) [8/8]    accuracy/top1: 85.5457'
    ]


RESULT = {'method': 'teacher-fed', 'budget_s': 900.0, 'wall_s': 901.3,
          'top1': 88.1023, 'stages': []}


@pytest.mark.parametrize('form', [
    'result.json',
    'summary.log',
    'summary.log whose next block follows on the same line',  # the older
])
def test_a_result_is_read_from_its_json_or_its_summary(tmp_path, form):
    block = json.dumps(RESULT, indent=1)
    text = {
        'result.json': block,
        'summary.log': f'# run: x\n## result.json\n{block}\n## commands.sh\n'
                       'bash tools/dist_train.sh {"a": 1}\n',
        'summary.log whose next block follows on the same line':
            f'# run: x\n## result.json\n{block}## commands.sh\n',
    }[form]
    path = tmp_path / 'file'
    path.write_text(text)
    assert read_result(str(path)) == RESULT


@pytest.mark.parametrize('text, missing', [
    ('## result.json\n{"method": "a"}\n', 'budget_s, wall_s, top1'),
    ('Iter(train) [10/20] loss: 1.0\n', 'method, budget_s, wall_s, top1'),
    ('[1, 2]', 'method, budget_s, wall_s, top1'),  # JSON, but no object
])
def test_what_is_not_a_result_is_named(tmp_path, text, missing):
    path = tmp_path / 'stage1.log'
    path.write_text(text)
    with pytest.raises(ConfigError) as error:
        read_result(str(path))
    assert str(error.value) == (f'{path}: not a recast_budget.py result.json'
                                f' or summary.log (no {missing} in it)')
