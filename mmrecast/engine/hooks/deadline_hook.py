# Copyright (c) mmrecast contributors. All rights reserved.
import collections
import math
import statistics
import time
from typing import Dict, Iterator, List, Optional, Tuple

from mmengine.hooks import CheckpointHook, Hook
from mmengine.optim import CosineAnnealingParamScheduler
from mmengine.runner import IterBasedTrainLoop

from mmrecast.registry import HOOKS
from mmrecast.utils.errors import ConfigError
from ..stage_info import StageInfo

__all__ = ['DeadlineHook']


@HOOKS.register_module()
class DeadlineHook(Hook):
    """End an iteration-based run by a wall-clock deadline.

    Every ``interval`` iterations the hook projects the end of the run from
    the median seconds per iteration of its last few intervals, timed from
    the end of the first iteration (which carries the start-up of the
    dataloader workers and would make the run look slower). When that
    end falls after ``deadline``, the run is shortened to the iterations
    that still fit: every schedule with a ``T_max`` (cosine annealing) is
    re-aimed at the new last iteration, its value set to where a schedule
    of that length stands now, so it still anneals to its ``eta_min``; the
    checkpoint hook saves there, besides its own interval; and the loop
    stops, validating at the new end as it would have at the old one
    (mmengine's loop validates at ``max_iters``, which the run no longer
    reaches). A shortened run whose machine speeds up again is lengthened
    back by the same means, never beyond ``max_iters``, and its schedule
    rises back to the user's: a short slow spell early in a run (another
    job on the machine) costs that spell, not the rest of the run. On a
    shared machine, this keeps a budget a budget.

    Checkpoints hold the user's schedules, not the re-aimed ones, so a
    shortened run resumed without a deadline goes on as its config says
    (with one, the hook re-aims it at its first projection).

    A :class:`~mmrecast.engine.RecastLoop` of one stage (the parallel and
    chained modes recast every block at once) ends early the same way, its
    last iteration marked as the stage's end, so the stage is checkpointed
    and validated as if it had run its length. A loop of several stages
    is refused: each stage gets the same iterations, fixed at its start.

    Args:
        deadline (float): The latest end, as ``time.time()``.
        interval (int): Iterations between projections. Defaults to 50.
        window (int): Intervals whose median time counts. Defaults to 5.
    """

    priority = 'LOW'

    def __init__(self, deadline: float, interval: int = 50, window: int = 5):
        if interval < 1 or window < 1:
            raise ConfigError(f'DeadlineHook: interval={interval} and '
                              f'window={window} must be >= 1')
        self.deadline = float(deadline)
        self.interval = interval
        self.seconds = collections.deque(maxlen=window)  # per iteration
        self.stop_at: Optional[int] = None
        self._logged: Optional[int] = None  # the last end logged
        self._last: Optional[Tuple[int, float]] = None  # (iteration, time)
        self._validated_at: Optional[int] = None  # iteration
        self._intervals: Dict[CheckpointHook, int] = {}  # the user's
        self._t_max: Dict[object, int] = {}  # the user's, per scheduler

    def before_train(self, runner) -> None:
        from ..runner import RecastLoop  # the runner package imports hooks
        loop = runner.train_loop
        if not isinstance(loop, IterBasedTrainLoop):
            raise ConfigError(
                'DeadlineHook (train.py --deadline) needs an '
                f'IterBasedTrainLoop; got {type(loop).__name__}, whose '
                'epochs cannot end early: drop --deadline')
        if isinstance(loop, RecastLoop) and loop.algorithm.num_stages > 1:
            raise ConfigError(
                f'DeadlineHook (train.py --deadline): a RecastLoop of '
                f'{loop.algorithm.num_stages} stages cannot end early, '
                'its stages are sized alike; drop --deadline, or recast '
                "in one stage (model.mode='parallel' or 'chained')")
        self._last = None
        self._validated_at = None
        self._logged = None

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs=None) -> None:
        done = runner.iter + 1
        if self.stop_at is not None and done >= self.stop_at:
            runner.train_loop.stop_training = True
            self._save_here(runner, done)
            _end_stage_here(runner)
            return
        if self._last is None:
            self._last = (done, time.time())
            return
        if done % self.interval:
            return
        now = time.time()
        self.seconds.append((now - self._last[1]) / (done - self._last[0]))
        self._last = (done, now)
        per_iter = statistics.median(self.seconds)
        last = self.stop_at or runner.max_iters
        fits = math.floor(max(self.deadline - now, 0) / per_iter)
        end = min(done + max(fits, 1), runner.max_iters)
        # shorten as soon as the end is late; lengthen back only by an
        # interval or more, so that noise does not move the end each time,
        # or all the way (a cut of less than an interval would stay)
        if end < last or (end > last and end >= min(
                last + self.interval, runner.max_iters)):
            self._aim(runner, end, per_iter)

    def after_val_epoch(self, runner, metrics=None) -> None:
        self._validated_at = runner.iter

    def after_train(self, runner) -> None:
        """Validate at the shortened end, unless the loop just did."""
        for hook, interval in self._intervals.items():
            hook.interval = interval
        self._intervals.clear()
        if self.stop_at is not None and self.stop_at < runner.max_iters:
            runner.logger.info(
                f'DeadlineHook: stopped at iteration {runner.iter} of '
                f'{runner.max_iters}, by its deadline')
        loop = runner.train_loop
        if (self.stop_at is None or runner.iter >= runner.max_iters
                or self._validated_at == runner.iter
                or runner.val_loop is None or runner.iter < loop.val_begin):
            return
        runner.logger.info(f'DeadlineHook: validating at iteration '
                           f'{runner.iter}, the run\'s new last one')
        runner.val_loop.run()

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Save each re-aimed schedule as the user's, at this step."""
        for scheduler, state, groups in _cosines(runner, checkpoint):
            if scheduler not in self._t_max:
                continue
            t_max = self._t_max[scheduler]
            if state is not None:
                state['T_max'] = t_max
            if groups is not None and _running(scheduler, runner):
                _put_cosine(scheduler, t_max, groups)

    def _save_here(self, runner, done: int) -> None:
        """Have the checkpoint hook save the iteration the run stops at.

        mmengine's ``CheckpointHook`` saves the last iteration by
        ``max_iters``, which a shortened run never reaches. It runs after
        this hook in the same iteration, so for this one iteration its
        interval is set to fall here; ``after_train`` puts the user's back.
        Until then the periodic checkpoints are the user's own.
        """
        for hook in runner.hooks:
            if (isinstance(hook, CheckpointHook) and not hook.by_epoch
                    and hook.save_last and done > hook.save_begin):
                self._intervals.setdefault(hook, hook.interval)
                hook.interval = done - hook.save_begin

    def _aim(self, runner, stop_at: int, per_iter: float) -> None:
        """Make ``stop_at`` the run's last iteration."""
        self.stop_at = stop_at
        for scheduler, _, _ in _cosines(runner):
            self._t_max.setdefault(scheduler, scheduler.T_max)
            scheduler.T_max = max(stop_at - scheduler.begin, 1)
            if _running(scheduler, runner):
                # mmengine steps a cosine from its last value, so a new
                # length alone would keep the old curve's level
                _put_cosine(scheduler, scheduler.T_max,
                            scheduler.optimizer.param_groups)
        # a drifting pace moves the end a little at every projection: say
        # so when it has moved by an interval or 5 % of the run, if more
        if self._logged is None or abs(stop_at - self._logged) >= max(
                self.interval, self._logged // 20):
            self._logged = stop_at
            runner.logger.info(
                f'DeadlineHook: at {per_iter:.3f} s per iteration the run can '
                f'end by its deadline at iteration {stop_at} of '
                f'{runner.max_iters}; it now stops there (schedules and '
                'checkpoint follow)')


def _end_stage_here(runner) -> None:
    """Mark this iteration as the end of a staged run's (only) stage, for
    the hooks after this one (stage checkpoint and progress)."""
    info = StageInfo.read(runner.message_hub)
    if info is not None and not info.ends:
        info._replace(ends=True).publish(runner.message_hub)


def _cosines(runner, checkpoint: Optional[dict] = None) -> Iterator[tuple]:
    """Each cosine schedule of ``runner`` (iteration-based), with its state
    and its optimizer's param groups in ``checkpoint`` (``None`` where
    ``checkpoint`` has none)."""
    schedulers = runner.param_schedulers or []
    states = (checkpoint or {}).get('param_schedulers')
    optimizers = (checkpoint or {}).get('optimizer')
    if not isinstance(schedulers, dict):  # else one list per optimizer
        schedulers, states, optimizers = (
            {0: x} for x in (schedulers, states, optimizers))
    for key, group in schedulers.items():
        saved = (states or {}).get(key) or [None] * len(group)
        groups = ((optimizers or {}).get(key) or {}).get('param_groups')
        for scheduler, state in zip(group, saved):
            if (isinstance(scheduler, CosineAnnealingParamScheduler)
                    and not scheduler.by_epoch):
                yield scheduler, state, groups


def _running(scheduler, runner) -> bool:
    """Whether ``scheduler`` sets its value at this point of the run."""
    return scheduler.last_step >= 0 and runner.iter + 1 < scheduler.end


def _put_cosine(scheduler, t_max: int, groups: List[dict]) -> None:
    """Set ``groups`` to where a cosine schedule ``t_max`` steps long
    stands at ``scheduler``'s current step (the closed form)."""
    for base, group in zip(scheduler.base_values, groups):
        low = scheduler.eta_min if scheduler.eta_min_ratio is None else (
            base * scheduler.eta_min_ratio)
        group[scheduler.param_name] = low + (base - low) * (
            1 + math.cos(math.pi * scheduler.last_step / t_max)) / 2
