# Copyright (c) mmrecast contributors. All rights reserved.
import copy
import random
import warnings
from typing import Dict, Optional, Sequence, Union

import numpy as np
import torch
from mmengine.dataset import pseudo_collate
from mmengine.logging import HistoryBuffer
from mmengine.model import is_model_wrapper
from mmengine.runner import IterBasedTrainLoop
from torch.utils.data import DataLoader

from mmrecast.models.algorithms import StagedAlgorithm
from mmrecast.models.algorithms.plan_check import plan_table
from mmrecast.registry import LOOPS
from mmrecast.utils.errors import ConfigError
from mmrecast.utils.precision import tf32_disabled
from ..hooks.recast_stage_hook import RecastStageHook
from ..stage_info import StageInfo

__all__ = ['RecastLoop']


@LOOPS.register_module()
class RecastLoop(IterBasedTrainLoop):
    """Train the stages of a :class:`~mmrecast.models.StagedAlgorithm`
    (e.g. ``BlockRecast``) one after the other.

    An ``IterBasedTrainLoop`` of ``iters_per_stage x num_stages`` iterations
    that starts a stage every ``iters_per_stage`` iterations: the algorithm
    installs it, and the optimiser (``optim_wrapper``) and schedulers
    (``param_scheduler``, iteration-based, counting from the stage start)
    are built afresh. The whole student is validated at every stage end.
    The current stage is published in the message hub
    (:class:`~mmrecast.engine.StageInfo`), where hooks read it;
    ``RecastCheckpointHook`` keeps each stage's checkpoint.

    Progress is a pure function of the iteration count: on resume,
    :class:`~mmrecast.engine.RecastStageHook` (registered by this loop)
    installs the checkpoint's stages before its weights and optimiser state
    are loaded, so a resumed run ends with the same weights as an
    uninterrupted one. TF32 is off while the loop runs (the reference code
    did not converge with it) and restored afterwards.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader | dict): Training data.
        iters_per_stage (int, optional): Iterations per stage.
        epochs_per_stage (float, optional): Or epochs per stage (converted
            with the loader's length).
        val_each_stage (bool): Validate after every stage. Defaults to True.
    """

    def __init__(self,
                 runner,
                 dataloader: Union[DataLoader, Dict],
                 iters_per_stage: Optional[int] = None,
                 epochs_per_stage: Optional[float] = None,
                 val_each_stage: bool = True):
        if (iters_per_stage is None) == (epochs_per_stage is None):
            raise ConfigError('train_cfg: give exactly one of iters_per_stage '
                              'and epochs_per_stage')
        if isinstance(dataloader, dict):
            randomness = runner.cfg.get('randomness') or {}
            dataloader = runner.build_dataloader(
                dataloader,
                seed=runner.seed,
                diff_rank_seed=randomness.get('diff_rank_seed', False))
        if iters_per_stage is None:
            iters_per_stage = max(
                1, int(round(epochs_per_stage * len(dataloader))))
        algorithm = self._unwrap(runner.model)
        if not isinstance(algorithm, StagedAlgorithm):
            raise TypeError(f'train_cfg.type=RecastLoop trains a staged '
                            f'algorithm (e.g. BlockRecast), not '
                            f'{type(algorithm).__name__}')
        self.iters_per_stage = int(iters_per_stage)
        total = self.iters_per_stage * algorithm.num_stages
        super().__init__(
            runner,
            dataloader,
            max_iters=total,
            val_begin=1 if val_each_stage else total + 1,
            val_interval=self.iters_per_stage)
        self._active_stage: Optional[int] = None
        self._trains = True
        # the loop is built before the optimiser: these are still configs
        self._optim_cfg = self._config_of(runner.optim_wrapper,
                                          'optim_wrapper')
        self._scheduler_cfg = self._config_of(runner.param_schedulers,
                                              'param_scheduler')
        runner.register_hook(RecastStageHook(), 'HIGHEST')

    def _config_of(self, value, field: str):
        if value is None or isinstance(value, (dict, list)):
            return copy.deepcopy(value)
        found = self.runner.cfg.get(field)
        if found is None:
            raise TypeError(f'RecastLoop builds a fresh {field} for every '
                            f'stage and needs its config, not a built '
                            f'{type(value).__name__}')
        return copy.deepcopy(found)

    @staticmethod
    def _unwrap(model):
        return model.module if is_model_wrapper(model) else model

    @property
    def algorithm(self) -> StagedAlgorithm:
        """The trained algorithm (without its DDP wrapper)."""
        return self._unwrap(self.runner.model)

    def stage_of(self, iteration: int) -> int:
        """The stage (0-based) that trains at ``iteration``."""
        return min(iteration // self.iters_per_stage,
                   self.algorithm.num_stages - 1)

    def stages_done(self, iteration: int) -> int:
        """Stages begun by ``iteration`` iterations (finished or not)."""
        return min(-(-iteration // self.iters_per_stage),
                   self.algorithm.num_stages)

    def check_plan(self) -> None:
        """Before the first iteration: the algorithm's plan check on one
        training image (random states kept, so the run is unchanged), its
        table logged."""
        states = (random.getstate(), np.random.get_state(),
                  torch.get_rng_state())
        try:
            sample = self.dataloader.dataset[0]
        finally:
            random.setstate(states[0])
            np.random.set_state(states[1])
            torch.set_rng_state(states[2])
        algorithm = self.algorithm
        probe = algorithm.data_preprocessor(pseudo_collate([sample]),
                                            False)['inputs']
        rows = algorithm.check_plan(probe)
        self.runner.logger.info('plan check passed (tools/misc/'
                                f'check_plan.py prints it too):\n'
                                f'{plan_table(rows)}')

    def run(self):
        """Check the plan on a fresh run, then train every stage, with
        TF32 off."""
        if self._iter == 0 and hasattr(self.algorithm, 'check_plan'):
            self.check_plan()
        with tf32_disabled():
            return super().run()

    def run_iter(self, data_batch: Sequence[dict]) -> None:
        stage = self.stage_of(self._iter)
        if stage != self._active_stage:
            self._start_stage(stage,
                              fresh=self._iter % self.iters_per_stage == 0)
        StageInfo(stage, self.algorithm.num_stages,
                  (self._iter + 1) % self.iters_per_stage == 0
                  or self._iter + 1 == self._max_iters,
                  self.iters_per_stage).publish(self.runner.message_hub)
        if self._trains:
            super().run_iter(data_batch)
            return
        # mmengine's run_iter, with the loss measured instead of minimised
        # (there is no parameter to give it to)
        self.runner.call_hook(
            'before_train_iter', batch_idx=self._iter, data_batch=data_batch)
        algorithm = self.algorithm
        with torch.no_grad():
            data = algorithm.data_preprocessor(data_batch, True)
            _, outputs = algorithm.parse_losses(algorithm(**data,
                                                          mode='loss'))
        with warnings.catch_warnings():
            # the schedulers step with no optimiser step, on purpose
            warnings.filterwarnings('ignore', 'Detected call of `scheduler')
            self.runner.call_hook(
                'after_train_iter',
                batch_idx=self._iter,
                data_batch=data_batch,
                outputs=outputs)
        self._iter += 1

    def _start_stage(self, stage: int, fresh: bool) -> None:
        runner, algorithm = self.runner, self.algorithm
        what = algorithm.begin_stage(stage)
        algorithm.train()
        # a stage of removals alone (identities) has nothing to train
        self._trains = any(p.requires_grad for p in algorithm.parameters())
        if not self._trains:
            runner.logger.warning(
                f'Recast stage {stage + 1} has nothing to train (its targets '
                'have no parameters): its iterations measure its loss only; '
                'train_cfg.iters_per_stage=1 would do as well')
        elif runner.distributed:
            # new blocks and a new trainable set: DDP must be rebuilt
            runner.model = runner.wrap_model(
                runner.cfg.get('model_wrapper_cfg'), algorithm)
        if fresh:
            self.rebuild_optimizer()
            self.reset_loss_history()
        runner.logger.info(
            f'Recast stage {stage + 1}/{algorithm.num_stages} ({what}); '
            f'{self.iters_per_stage} iterations'
            f'{"" if fresh else f", resumed at iteration {self._iter}"}')
        self._active_stage = stage

    def reset_loss_history(self) -> None:
        """Start the logged loss averages afresh: each stage has a loss of
        its own scale, and a window reaching back into the last stage
        would show a falling loss as a rising one."""
        scalars = self.runner.message_hub.log_scalars
        for key in [k for k in scalars if k.startswith('train/loss')]:
            scalars[key] = HistoryBuffer()

    def rebuild_optimizer(self) -> None:
        """A fresh optimiser and schedulers for the model as it is now."""
        runner = self.runner
        runner.optim_wrapper = runner.build_optim_wrapper(
            copy.deepcopy(self._optim_cfg))
        runner.param_schedulers = runner.build_param_scheduler(
            copy.deepcopy(self._scheduler_cfg)) if self._scheduler_cfg \
            else None
