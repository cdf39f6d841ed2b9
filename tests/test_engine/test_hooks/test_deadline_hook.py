# Copyright (c) mmrecast contributors. All rights reserved.
import logging
import math
import os
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
import torch.nn as nn
from mmengine.hooks import CheckpointHook, Hook
from mmengine.model import BaseModel
from mmengine.runner import Runner

from mmrecast.engine.hooks import DeadlineHook, deadline_hook
from mmrecast.utils.errors import ConfigError
from tests.helpers import CountMetric

MAX_ITERS = 40
LR = 0.1


def _user_lr(i: int) -> float:
    """The config's cosine at iteration ``i``."""
    return LR * (1 + math.cos(math.pi * i / MAX_ITERS)) / 2


class _Line(BaseModel):
    """y = w x, trained on random data: a model with an optimiser."""

    def __init__(self):
        super().__init__()
        self.w = nn.Linear(2, 1)

    def forward(self, inputs, data_samples=None, mode='loss'):
        if mode == 'loss':
            return dict(loss=self.w(torch.stack(inputs)).pow(2).mean())
        return [dict() for _ in inputs]


class _Validations(Hook):
    """The iterations at which the run validated."""

    def __init__(self):
        self.at = []

    def after_val_epoch(self, runner, metrics=None):
        self.at.append(runner.iter)


class _Clock(Hook):
    """A fake clock: every iteration takes one second, the first
    ``1 + start_up``, the first ``slow`` ones three; ``drift`` seconds more
    for each iteration before it."""

    priority = 'HIGHEST'

    def __init__(self, monkeypatch, start_up=0.0, slow=0, drift=0.0):
        self.now = 1000.0
        self.start_up = start_up
        self.slow = slow
        self.drift = drift
        monkeypatch.setattr(deadline_hook, 'time',
                            SimpleNamespace(time=lambda: self.now))

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        self.now += 3.0 if runner.iter < self.slow else 1.0
        self.now += self.drift * runner.iter
        self.now += self.start_up if runner.iter == 0 else 0.0


class _Ends(Hook):
    """The deadline hook's last iteration after every iteration."""

    priority = 'LOWEST'

    def __init__(self):
        self.values = []

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        hook = next(h for h in runner.hooks if isinstance(h, DeadlineHook))
        self.values.append(hook.stop_at or MAX_ITERS)


class _Log(Hook, logging.Handler):
    """The runner's log messages during training."""

    def __init__(self):
        Hook.__init__(self)
        logging.Handler.__init__(self)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())

    def before_train(self, runner):
        runner.logger.addHandler(self)

    def after_run(self, runner):
        runner.logger.removeHandler(self)


class _LR(Hook):
    """The learning rate of every iteration."""

    def __init__(self):
        self.values = []

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        self.values.append(runner.optim_wrapper.get_lr()['lr'][0])


def _train(tmp_path,
           monkeypatch,
           seconds=None,
           train_cfg=None,
           start_up=0,
           validations=None,
           slow=0,
           ends=None,
           ckpt_interval=MAX_ITERS,
           resume_from=None,
           drift=0.0,
           log=None):
    clock, lr = _Clock(monkeypatch, start_up, slow, drift), _LR()
    hooks = [clock, lr] + [h for h in (ends, log) if h]
    if seconds is not None:
        hooks.append(DeadlineHook(clock.now + seconds, interval=5))
    val = {}
    if validations is not None:
        hooks.append(validations)
        val = dict(
            val_dataloader=dict(
                dataset=[dict(inputs=torch.randn(2)) for _ in range(4)],
                sampler=dict(type='DefaultSampler', shuffle=False),
                collate_fn=dict(type='pseudo_collate'),
                batch_size=2),
            val_cfg=dict(),
            val_evaluator=dict(type=CountMetric))
    runner = Runner(
        model=_Line(),
        work_dir=str(tmp_path),
        train_dataloader=dict(
            dataset=[dict(inputs=torch.randn(2)) for _ in range(8)],
            sampler=dict(type='InfiniteSampler', shuffle=False),
            collate_fn=dict(type='pseudo_collate'),
            batch_size=2),
        train_cfg=train_cfg or dict(by_epoch=False, max_iters=MAX_ITERS),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=LR)),
        param_scheduler=dict(type='CosineAnnealingLR', by_epoch=False,
                             T_max=MAX_ITERS, eta_min=0.0),
        default_hooks=dict(checkpoint=dict(
            type='CheckpointHook', by_epoch=False, interval=ckpt_interval)),
        custom_hooks=hooks,
        default_scope='mmrecast',
        load_from=resume_from,
        resume=resume_from is not None,
        **val)
    runner.train()
    return runner, lr.values


def test_a_run_that_fits_is_left_alone(tmp_path, monkeypatch):
    runner, lrs = _train(tmp_path, monkeypatch, seconds=MAX_ITERS + 5)
    assert runner.iter == MAX_ITERS
    # never aimed: its schedule is the config's own
    hook = next(h for h in runner.hooks if isinstance(h, DeadlineHook))
    assert hook.stop_at is None
    assert osp.exists(tmp_path / f'iter_{MAX_ITERS}.pth')


def test_a_late_run_stops_in_time_with_its_schedule_and_checkpoint(
        tmp_path, monkeypatch):
    # one second per iteration, 20 s: at the first projection (iteration
    # 5) 15 more iterations fit
    runner, lrs = _train(tmp_path, monkeypatch, seconds=20)
    assert runner.iter == 20
    assert osp.exists(tmp_path / 'iter_20.pth')
    with open(tmp_path / 'last_checkpoint') as file:
        assert file.read().strip().endswith('iter_20.pth')
    # the cosine still anneals: falling, and near eta_min at the new end
    assert all(a > b for a, b in zip(lrs, lrs[1:]))
    assert lrs[-1] < 0.01 * lrs[0]


def test_a_shortened_run_keeps_its_periodic_checkpoints(
        tmp_path, monkeypatch):
    # 22 s: cut to 22 iterations at the first projection; the checkpoints
    # every 5 iterations are still the resume points, and the end is saved
    runner, _ = _train(tmp_path, monkeypatch, seconds=22, ckpt_interval=5)
    assert runner.iter == 22
    saved = sorted(int(f[5:-4]) for f in os.listdir(tmp_path)
                   if f.startswith('iter_'))
    assert saved == [5, 10, 15, 20, 22]
    with open(tmp_path / 'last_checkpoint') as file:
        assert file.read().strip().endswith('iter_22.pth')
    hook = next(h for h in runner.hooks if isinstance(h, CheckpointHook))
    assert hook.interval == 5  # the user's, put back


def test_a_run_shortened_in_a_slow_spell_is_lengthened_back(
        tmp_path, monkeypatch):
    # the first 10 iterations take 3 s, the rest 1 s; 70 s in all. At 3 s
    # per iteration the run is cut to 23 iterations; as the fast intervals
    # take the median over, it grows back to all 40 (30 + 30 s)
    ends = _Ends()
    runner, lrs = _train(tmp_path, monkeypatch, seconds=70, slow=10,
                         ends=ends)
    assert min(ends.values) == 23
    assert runner.iter == MAX_ITERS
    # from the iteration after it is lengthened back for good, the
    # schedule is the config's again (not a lower copy of it)
    back = max(i for i, end in enumerate(ends.values) if end != MAX_ITERS)
    assert back < 30
    assert lrs[back + 2:] == pytest.approx(
        [_user_lr(i) for i in range(back + 2, MAX_ITERS)])
    assert lrs[-1] < 0.01 * lrs[0]


def test_a_run_cut_by_less_than_an_interval_is_lengthened_back(
        tmp_path, monkeypatch):
    # 2 slow iterations, then 1 s each: 44 s of 56. The first projection
    # (1.5 s per iteration) cuts the run to 36, 4 short of max_iters; it
    # grows back all the way, though by less than an interval (5)
    ends = _Ends()
    runner, _ = _train(tmp_path, monkeypatch, seconds=56, slow=2, ends=ends)
    assert min(ends.values) == 36
    assert runner.iter == MAX_ITERS


def test_a_shortened_run_resumes_on_its_configs_schedule(
        tmp_path, monkeypatch):
    # cut to 20 iterations, then resumed without a deadline: the run goes
    # on to max_iters on the config's cosine, not on the one re-aimed at 20
    _train(tmp_path, monkeypatch, seconds=20)
    runner, lrs = _train(tmp_path / 'resumed', monkeypatch,
                         resume_from=str(tmp_path / 'iter_20.pth'))
    assert runner.iter == MAX_ITERS
    assert lrs == pytest.approx(
        [_user_lr(i) for i in range(20, MAX_ITERS)])


def test_a_drifting_pace_is_logged_by_the_interval_and_the_stop_once(
        tmp_path, monkeypatch):
    # every iteration 0.05 s slower than the one before: the end moves a
    # little at every projection; the log says where it stands each time
    # it has moved by an interval (5) or more, and where the run stopped
    ends, log = _Ends(), _Log()
    runner, _ = _train(tmp_path, monkeypatch, seconds=40, drift=0.05,
                       ends=ends, log=log)
    lines = [line for line in log.messages if 'DeadlineHook: ' in line]
    logged = [int(line.split('at iteration ')[1].split()[0])
              for line in lines]
    aims = [end for end, before in zip(ends.values, [MAX_ITERS] +
                                       ends.values) if end != before]
    assert len(aims) > len(logged) - 1 >= 1
    assert logged[0] == aims[0]
    assert all(abs(a - b) >= 5 for a, b in zip(logged[:-1], logged[1:-1]))
    assert lines[-1] == (
        f'DeadlineHook: stopped at iteration {runner.iter} of {MAX_ITERS}, '
        'by its deadline')


def test_a_long_run_logs_moves_of_5_percent(tmp_path, monkeypatch):
    # 400 iterations, each 0.002 s slower than the one before: the end
    # (about 230) moves by 5-10 iterations at a projection; only moves of
    # 5 % of the run (11 or more) are logged
    log = _Log()
    runner, _ = _train(
        tmp_path, monkeypatch, seconds=300, drift=0.002, log=log,
        train_cfg=dict(by_epoch=False, max_iters=400), ckpt_interval=1000)
    logged = [int(line.split('at iteration ')[1].split()[0])
              for line in log.messages if 'can end by its deadline' in line]
    assert len(logged) >= 2 and 200 < runner.iter < 260
    assert all(abs(a - b) >= a // 20 for a, b in zip(logged, logged[1:]))


def test_a_run_is_never_lengthened_beyond_max_iters(tmp_path, monkeypatch):
    ends = _Ends()
    runner, _ = _train(tmp_path, monkeypatch, seconds=1000, ends=ends)
    assert set(ends.values) == {MAX_ITERS} and runner.iter == MAX_ITERS


@pytest.mark.parametrize('val_interval, expected',
                         [(15, [15, 20]), (10, [10, 20]), (1000, [20])])
def test_a_shortened_run_still_validates_at_its_end(tmp_path, monkeypatch,
                                                    val_interval, expected):
    # mmengine's loop validates at max_iters (40), which a run stopped at
    # 20 never reaches; the hook validates there instead, once
    validations = _Validations()
    _train(tmp_path, monkeypatch, seconds=20, validations=validations,
           train_cfg=dict(by_epoch=False, max_iters=MAX_ITERS,
                          val_interval=val_interval))
    assert validations.at == expected


def test_a_run_that_fits_validates_once_at_its_end(tmp_path, monkeypatch):
    validations = _Validations()
    _train(tmp_path, monkeypatch, seconds=MAX_ITERS + 5,
           validations=validations,
           train_cfg=dict(by_epoch=False, max_iters=MAX_ITERS,
                          val_interval=1000))
    assert validations.at == [MAX_ITERS]


def test_the_start_up_of_the_first_iteration_is_not_projected(
        tmp_path, monkeypatch):
    # iterations of 1 s after 10 s of start-up, 30 s in all: the first
    # ends at 11 s and 19 more fit (averaging the start-up into the first
    # interval, 3 s per iteration, would stop at 10)
    runner, _ = _train(tmp_path, monkeypatch, seconds=30, start_up=10)
    assert runner.iter == 20


def test_refuses_a_loop_that_cannot_end_early(tmp_path, monkeypatch):
    with pytest.raises(ConfigError, match='IterBasedTrainLoop'):
        _train(tmp_path, monkeypatch, seconds=20,
               train_cfg=dict(by_epoch=True, max_epochs=1))
