# Copyright (c) mmrecast contributors. All rights reserved.
"""Fit a training config to a wall-clock budget: read a timed warm-up run,
then stretch the iteration count and the schedule to the time left."""
import glob
import json
import math
import os.path as osp
import re
import statistics
from typing import Dict, List, Optional, Sequence, Tuple

from mmengine.config import Config

from mmrecast.utils.errors import ConfigError

__all__ = ['warmup_options', 'stretch_options', 'read_warmup',
           'stage_seconds', 'iterations_for', 'is_recast_loop',
           'ends_by_deadline', 'condense_log', 'read_result']

#: Scheduler fields that count iterations and stretch with the run.
_LENGTH_FIELDS = ('T_max', 'step_size', 'begin', 'end', 'milestones')


def is_recast_loop(cfg: Config) -> bool:
    """Whether ``cfg`` trains with :class:`~mmrecast.engine.RecastLoop`
    (iterations count per stage) rather than ``IterBasedTrainLoop``."""
    return cfg.train_cfg.get('type') == 'RecastLoop'


def _is_cosine(scheduler: dict, kind: Optional[type] = None) -> bool:
    """Whether a ``param_scheduler`` entry (of class ``kind``, looked up
    when not given) is a cosine annealing, the kind
    :class:`~mmrecast.engine.DeadlineHook` re-aims."""
    from mmengine.optim import CosineAnnealingParamScheduler

    from mmrecast.registry import PARAM_SCHEDULERS
    kind = kind or PARAM_SCHEDULERS.get(scheduler.get('type'))
    return kind is not None and issubclass(kind,
                                           CosineAnnealingParamScheduler)


def ends_by_deadline(cfg: Config) -> bool:
    """Whether :class:`~mmrecast.engine.DeadlineHook` can end ``cfg``'s run
    at any iteration and keep its schedule whole: an iteration loop whose
    schedules, by iteration, are cosines (the hook re-aims those) and
    warm-ups that end before any cosine begins, so a stage sized long can
    be trusted to end by its deadline. Never a recast loop: the hook can
    end one of one stage, but the config alone does not tell the stages."""
    from mmrecast.registry import PARAM_SCHEDULERS
    if is_recast_loop(cfg) or cfg.train_cfg.get('by_epoch'):
        return False
    schedulers = cfg.get('param_scheduler') or []
    if not isinstance(schedulers, (list, tuple)):
        schedulers = [schedulers]
    cosine_begins, other_ends = [], []
    for scheduler in schedulers:
        kind = PARAM_SCHEDULERS.get(scheduler.get('type'))
        if kind is None or scheduler.get('by_epoch', True):
            return False
        if _is_cosine(scheduler, kind):
            cosine_begins.append(scheduler.get('begin', 0))
        else:
            other_ends.append(scheduler.get('end', math.inf))
    if not cosine_begins:
        return not other_ends  # a constant rate ends anywhere
    # Any other schedule must be over before the first cosine begins (a
    # warm-up): one still running at the deadline, such as a step schedule,
    # would miss its later drops.
    return all(end <= min(cosine_begins) for end in other_ends)


def _length(cfg: Config) -> int:
    """Iterations the schedule of ``cfg`` spans (per stage for a recast
    loop, whose stages each get a fresh schedule)."""
    train_cfg = cfg.train_cfg
    key = 'iters_per_stage' if is_recast_loop(cfg) else 'max_iters'
    if train_cfg.get('by_epoch') or train_cfg.get(key) is None:
        raise ConfigError(f'train_cfg.{key}: the budget tool sizes runs in '
                          'iterations; the config must set it (and not '
                          'train by epochs)')
    return int(train_cfg[key])


def _scaled(value, factor: float):
    if isinstance(value, (list, tuple)):
        return [_scaled(v, factor) for v in value]
    return 0 if value == 0 else max(1, round(value * factor))


def stretch_options(cfg: Config,
                    iters: int,
                    planned: Optional[int] = None) -> Dict[str, object]:
    """``--cfg-options`` that make ``cfg`` train ``iters`` iterations (per
    stage for a recast loop), with every scheduler's lengths and
    milestones scaled alike, checkpoints at the end only and no
    validation interval inside the run.

    Args:
        cfg (Config): The training config.
        iters (int): Iterations to train.
        planned (int, optional): For a run sized longer than the
            ``planned`` iterations expected to fit, and ended by its
            deadline (:func:`ends_by_deadline`): the warm-ups are scaled
            to ``planned`` and the cosines begin where they end, so that
            a run the deadline ends on plan warms up for the share its
            config gives, not for that share of ``iters``.
    """
    length = _length(cfg)
    factor = iters / length
    if planned is not None and not ends_by_deadline(cfg):
        raise ValueError('planned: only for a config that ends_by_deadline')
    early = factor if planned is None else planned / length
    if is_recast_loop(cfg):
        options = {'train_cfg.iters_per_stage': iters}
    else:
        options = {'train_cfg.max_iters': iters,
                   'train_cfg.val_interval': iters}
    options['default_hooks.checkpoint.interval'] = iters
    schedulers = cfg.get('param_scheduler') or []
    listed = isinstance(schedulers, (list, tuple))
    for i, scheduler in enumerate(schedulers if listed else [schedulers]):
        prefix = f'param_scheduler.{i}.' if listed else 'param_scheduler.'
        cosine = planned is not None and _is_cosine(scheduler)
        for field in _LENGTH_FIELDS:
            value = scheduler.get(field)
            # an open end (mmengine's INF default) stays open
            if value is None or (field == 'end' and value > 1e8):
                continue
            if cosine and field != 'begin':
                options[prefix + field] = _scaled(value, factor)
            else:  # every field of a warm-up, and where a cosine begins
                options[prefix + field] = _scaled(value, early)
        if cosine and 'T_max' in scheduler:  # its minimum stays at the end
            begin = scheduler.get('begin', 0)
            options[prefix + 'T_max'] = (
                _scaled(begin + scheduler['T_max'], factor) -
                _scaled(begin, early))
    return options


def warmup_options(cfg: Config, iters: int,
                   log_interval: int) -> Dict[str, object]:
    """:func:`stretch_options` for a warm-up of ``iters`` iterations per
    stage that logs its iteration time every ``log_interval``."""
    options = stretch_options(cfg, iters)
    options['default_hooks.logger.interval'] = log_interval
    return options


def read_warmup(work_dir: str) -> Tuple[float, int]:
    """Seconds per iteration and iterations run, from a warm-up's
    ``vis_data/scalars.json``: the median of mmengine's ``time`` of each
    log interval. The first interval, which pays one-off start-up costs,
    is left out unless it is the only one; the median keeps one interval
    stalled by another process on a shared machine from sizing the whole
    stage (a 3.5 s stall once made the mean 2.7x too slow)."""
    paths = sorted(
        glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    if not paths:
        raise ConfigError(f'{work_dir}: the warm-up run logged no '
                          'scalars.json; see its log above')
    records: List[dict] = []
    with open(paths[-1]) as file:
        for line in file:
            record = json.loads(line)
            if 'time' in record and 'iter' in record:
                records.append(record)
    if not records:
        raise ConfigError(f'{paths[-1]}: no iteration times; the warm-up '
                          'must run at least one logging interval')
    times = [r['time'] for r in records[1:]] or [records[0]['time']]
    return statistics.median(times), int(records[-1]['iter'])


def stage_seconds(left: float, shares: Sequence[float], index: int) -> float:
    """Seconds for stage ``index`` when ``left`` seconds remain before it:
    its share among the stages not yet run, so that time an earlier stage
    did not use (its warm-up overestimated it) goes to the later ones."""
    return left * shares[index] / sum(shares[index:])


def iterations_for(seconds: float, per_iter: float, overhead: float,
                   stages: int = 1) -> int:
    """Iterations per stage that fill ``seconds`` of wall time, given the
    time per iteration and the run's fixed overhead (start-up, model
    building, stage switches)."""
    usable = seconds - overhead
    if usable <= per_iter * stages:
        left = f'{seconds:.0f} s' if seconds > 0 else \
            'no time left (the warm-ups took the budget)'
        raise ConfigError(
            f'budget: {left} for a stage whose start-up alone takes '
            f'{overhead:.0f} s; give a larger --budget')
    return max(1, math.floor(usable / (per_iter * stages)))


def condense_log(log: str, every: int = 500) -> List[str]:
    """The lines of a tool's log worth keeping with a result: the launch
    line, training lines up to iteration 50 and then every ``every``
    iterations, where the run was shortened (``DeadlineHook``) and saved,
    the export and accuracy lines."""
    kept = []
    for line in log.splitlines():
        step = re.search(r'Iter\(train\) \[ *(\d+)/', line)
        if step:
            if int(step[1]) <= 50 or int(step[1]) % every == 0:
                kept.append(line)
        elif (line.startswith(('dist_launch', 'exported '))
              or 'accuracy/top1' in line or 'DeadlineHook: ' in line
              or 'Saving checkpoint at' in line):
            kept.append(line)
    return kept


def read_result(path: str) -> dict:
    """The ``result.json`` of a budget run, from that file or from the run's
    ``summary.log`` (whose ``## result.json`` block holds it), so that a
    plot can be redrawn from the logs kept with the numbers."""
    with open(path) as file:  # a wrong path is the tools' one-line error
        text = file.read()
    _, marker, block = text.partition('## result.json\n')
    try:
        # the older summaries go on with the next block on the same line
        result, _ = json.JSONDecoder().raw_decode(
            (block if marker else text).lstrip())
    except ValueError:
        result = None
    missing = [key for key in ('method', 'budget_s', 'wall_s', 'top1')
               if not isinstance(result, dict) or key not in result]
    if missing:
        raise ConfigError(f'{path}: not a recast_budget.py result.json or '
                          f'summary.log (no {", ".join(missing)} in it)')
    return result
