# Copyright (c) mmrecast contributors. All rights reserved.
import math
import statistics
from typing import List, Optional

import torch
from mmengine.hooks import Hook

from mmrecast.registry import HOOKS
from mmrecast.utils.errors import ConfigError
from ..stage_info import StageInfo

__all__ = ['DivergenceGuardHook', 'TrainingDiverged']


class TrainingDiverged(ConfigError):
    """The loss became non-finite or grew far beyond its early value."""


@HOOKS.register_module()
class DivergenceGuardHook(Hook):
    """Stop a run whose loss diverges, before its checkpoint is written.

    The reference is the median loss of the first ``warmup`` iterations
    (of every stage in a staged run). A non-finite loss, or one above
    ``factor`` times the reference, ends the run with one line naming the
    stage, the iteration and the likely fix; the last checkpoint written is
    the last good one. It runs before ``CheckpointHook`` (priority
    ``ABOVE_NORMAL`` against ``VERY_LOW``).

    Args:
        factor (float): How many times the early loss counts as divergence.
            Defaults to 100.
        warmup (int): Iterations that set the reference. Defaults to 10.
    """

    priority = 'ABOVE_NORMAL'

    def __init__(self, factor: float = 100.0, warmup: int = 10):
        if factor <= 1 or warmup < 1:
            raise ConfigError(f'DivergenceGuardHook: factor={factor} must be '
                              f'> 1 and warmup={warmup} >= 1')
        self.factor = factor
        self.warmup = warmup
        self._early: List[float] = []
        self._stage: Optional[int] = None

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs=None) -> None:
        if not outputs:
            return
        loss = outputs.get('loss')  # parse_losses' total
        if loss is None:
            return
        loss = float(loss.detach()) if isinstance(loss, torch.Tensor) \
            else float(loss)
        info = StageInfo.read(runner.message_hub)
        stage = None if info is None else info.stage
        if stage != self._stage:  # each stage has a loss of its own
            self._stage, self._early = stage, []
        where = (f'iteration {runner.iter + 1}' if info is None else
                 f'stage {stage + 1}/{info.num_stages}, iteration '
                 f'{runner.iter + 1}')
        if not math.isfinite(loss):
            self._stop(runner, f'{where}: the loss is {loss}')
        if len(self._early) < self.warmup:
            self._early.append(loss)
            return
        reference = statistics.median(self._early)
        if reference > 0 and loss > self.factor * reference:
            self._stop(
                runner, f'{where}: the loss grew to {loss:.4g}, '
                f'{loss / reference:.0f}x its early value {reference:.4g}')

    def _stop(self, runner, what: str) -> None:
        lr = runner.optim_wrapper.get_lr()
        rates = sorted({f'{r:g}' for values in lr.values() for r in values})
        raise TrainingDiverged(
            f'{what}; training diverged, the last checkpoint is the last '
            f'good one. Lower optim_wrapper.optimizer.lr (now '
            f'{", ".join(rates)}), e.g. by 10x')
