# Copyright (c) mmrecast contributors. All rights reserved.
import collections
import math
import statistics
import time
from typing import Dict, Optional, Tuple

from mmengine.hooks import CheckpointHook, Hook
from mmengine.runner import IterBasedTrainLoop

from mmrecast.registry import HOOKS
from mmrecast.utils.errors import ConfigError

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
    re-aimed at the new last iteration, so it still anneals to its
    ``eta_min``; the checkpoint hook saves there, besides its own
    interval; and the loop stops,
    validating at the new end as it would have at the old one (mmengine's
    loop validates at ``max_iters``, which the run no longer reaches). A
    shortened run whose machine speeds up again is lengthened back by the
    same means, never beyond ``max_iters``: a short slow spell early in a
    run (another job on the machine) costs that spell, not the rest of the
    run. On a shared machine, this keeps a budget a budget.

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
        self._last: Optional[Tuple[int, float]] = None  # (iteration, time)
        self._validated_at: Optional[int] = None  # iteration
        self._intervals: Dict[CheckpointHook, int] = {}  # the user's

    def before_train(self, runner) -> None:
        from ..runner import RecastLoop  # the runner package imports hooks
        loop = runner.train_loop
        if not isinstance(loop, IterBasedTrainLoop) or isinstance(
                loop, RecastLoop):
            raise ConfigError(
                'DeadlineHook (train.py --deadline) needs an '
                f'IterBasedTrainLoop; got {type(loop).__name__}, whose '
                'stages or epochs cannot end early: drop --deadline')
        self._last = None
        self._validated_at = None

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs=None) -> None:
        done = runner.iter + 1
        if self.stop_at is not None and done >= self.stop_at:
            runner.train_loop.stop_training = True
            self._save_here(runner, done)
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
        # interval or more, so that noise does not move the end each time
        if end < last or end >= last + self.interval:
            self._aim(runner, end, per_iter)

    def after_val_epoch(self, runner, metrics=None) -> None:
        self._validated_at = runner.iter

    def after_train(self, runner) -> None:
        """Validate at the shortened end, unless the loop just did."""
        for hook, interval in self._intervals.items():
            hook.interval = interval
        self._intervals.clear()
        loop = runner.train_loop
        if (self.stop_at is None or runner.iter >= runner.max_iters
                or self._validated_at == runner.iter
                or runner.val_loop is None or runner.iter < loop.val_begin):
            return
        runner.logger.info(f'DeadlineHook: validating at iteration '
                           f'{runner.iter}, the run\'s new last one')
        runner.val_loop.run()

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
        schedulers = runner.param_schedulers or []
        if isinstance(schedulers, dict):  # one list per optimizer
            schedulers = [s for group in schedulers.values() for s in group]
        for scheduler in schedulers:
            if hasattr(scheduler, 'T_max') and not scheduler.by_epoch:
                scheduler.T_max = max(stop_at - scheduler.begin, 1)
        runner.logger.info(
            f'DeadlineHook: at {per_iter:.3f} s per iteration the run can end '
            f'by its deadline at iteration {stop_at} of {runner.max_iters}; '
            'it now stops there (schedules and checkpoint follow)')
