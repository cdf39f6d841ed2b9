# Copyright (c) mmrecast contributors. All rights reserved.
import copy
import os.path as osp
from typing import Dict, Optional, Sequence, Union

import torch
from mmengine.model import is_model_wrapper
from mmengine.runner import BaseLoop, find_latest_checkpoint
from mmengine.runner.loops import _InfiniteDataloaderIterator
from torch.utils.data import DataLoader

from mmrecast.registry import LOOPS
from mmrecast.utils.checkpoint import load_checkpoint_file

__all__ = ['RecastLoop']


@LOOPS.register_module()
class RecastLoop(BaseLoop):
    """Run the stages of a :class:`~mmrecast.models.BlockRecast` one after
    the other (``train_cfg=dict(type='RecastLoop', ...)``).

    Every stage gets the same number of iterations, a fresh optimiser built
    from ``optim_wrapper`` and fresh schedulers from ``param_scheduler``
    (iteration-based: ``by_epoch=False`` or ``convert_to_iter_based=True``;
    their steps count from the start of the stage). After each stage the
    whole student is validated and a checkpoint ``stage_<k>.pth`` is saved.

    Progress is a pure function of the iteration count, so resuming from
    any checkpoint (mid-stage included) rebuilds the student to the right
    stage *before* the runner builds the optimiser and loads its state; the
    data loader is advanced past the batches already seen. With a fixed
    seed a resumed run ends with the same weights as an uninterrupted one.

    TF32 is switched off while the loop runs (the reference code did not
    converge with Tensor Cores) and restored afterwards.

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
        super().__init__(runner, dataloader)
        if (iters_per_stage is None) == (epochs_per_stage is None):
            raise ValueError('train_cfg: give exactly one of iters_per_stage '
                             'and epochs_per_stage')
        if iters_per_stage is None:
            iters_per_stage = max(
                1, int(round(epochs_per_stage * len(self.dataloader))))
        self.iters_per_stage = int(iters_per_stage)
        self.val_each_stage = val_each_stage
        algo = self.algorithm
        if not hasattr(algo, 'begin_stage'):
            raise TypeError(f'RecastLoop trains a BlockRecast model, not '
                            f'{type(algo).__name__}')
        self._max_iters = self.iters_per_stage * algo.num_stages
        self._iter = 0
        self._epoch = 0
        self._stage_started = None
        self.dataloader_iterator = _InfiniteDataloaderIterator(
            self.dataloader)
        self._restore_structure()

    # --------------------------------------------------------- properties
    @property
    def algorithm(self):
        model = self.runner.model
        return model.module if is_model_wrapper(model) else model

    @property
    def max_iters(self) -> int:
        return self._max_iters

    @property
    def max_epochs(self) -> int:
        return 1

    @property
    def iter(self) -> int:
        return self._iter

    @property
    def epoch(self) -> int:
        return self._epoch

    def stage_of(self, iteration: int) -> int:
        return min(iteration // self.iters_per_stage,
                   self.algorithm.num_stages - 1)

    # ------------------------------------------------------------- resume
    def _resume_iteration(self) -> int:
        """Iteration of the checkpoint the runner will resume from."""
        runner = self.runner
        if not runner._resume:
            return 0
        path = runner._load_from or find_latest_checkpoint(runner.work_dir)
        if path is None:
            return 0
        # mapped, not read: the runner loads the whole file right after
        return int(
            load_checkpoint_file(path, 'cpu', mmap=True)['meta']['iter'])

    def _restore_structure(self) -> None:
        iteration = self._resume_iteration()
        if iteration:
            # stages finished so far, plus the one in progress
            stages = -(-iteration // self.iters_per_stage)
            # install() also puts new blocks on the model's device
            self.algorithm.install(min(stages, self.algorithm.num_stages))

    # --------------------------------------------------------------- run
    def _start_stage(self, stage: int, fresh: bool) -> None:
        runner, algo = self.runner, self.algorithm
        algo.begin_stage(stage)
        # validation leaves the model in eval mode; student BN must train
        algo.train()
        if runner.distributed:
            # new blocks and a new trainable set: DDP must be rebuilt
            runner.model = runner.wrap_model(
                runner.cfg.get('model_wrapper_cfg'), algo)
        if fresh:
            runner.optim_wrapper = runner.build_optim_wrapper(
                copy.deepcopy(runner.cfg.optim_wrapper))
            schedulers = runner.cfg.get('param_scheduler')
            runner.param_schedulers = runner.build_param_scheduler(
                copy.deepcopy(schedulers)) if schedulers else None
        steps = algo.stage_steps(stage)
        what = ', '.join(f'{s.block} -> {s.recaster!r}' for s in steps[:3])
        if len(steps) > 3:
            what += f', ... ({len(steps)} blocks)'
        runner.logger.info(
            f'Recast stage {stage + 1}/{algo.num_stages} ({algo.mode}): '
            f'{what}; {self.iters_per_stage} iterations'
            f'{"" if fresh else f", resumed at iteration {self._iter}"}')
        self._stage_started = stage

    def _end_stage(self, stage: int) -> None:
        runner = self.runner
        if self.val_each_stage and runner.val_loop is not None:
            runner.val_loop.run()
        filename = f'stage_{stage + 1}.pth'
        runner.save_checkpoint(runner.work_dir, filename)
        with open(osp.join(runner.work_dir, 'last_checkpoint'), 'w') as f:
            f.write(osp.join(runner.work_dir, filename))

    def run(self):
        """Train every stage; return the (unwrapped) algorithm."""
        tf32 = (torch.backends.cuda.matmul.allow_tf32,
                torch.backends.cudnn.allow_tf32)
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        try:
            self.runner.call_hook('before_train')
            self.runner.call_hook('before_train_epoch')
            if self._iter > 0:
                self.runner.logger.info(
                    f'Advance the data loader {self._iter} steps to skip '
                    'the data already trained on')
                for _ in range(self._iter):
                    next(self.dataloader_iterator)
            while self._iter < self._max_iters:
                stage = self.stage_of(self._iter)
                if self._stage_started != stage:
                    self._start_stage(
                        stage, fresh=self._iter % self.iters_per_stage == 0)
                self.run_iter(next(self.dataloader_iterator))
                if self._iter % self.iters_per_stage == 0:
                    self._end_stage(stage)
            self.runner.call_hook('after_train_epoch')
            self.runner.call_hook('after_train')
        finally:
            (torch.backends.cuda.matmul.allow_tf32,
             torch.backends.cudnn.allow_tf32) = tf32
        return self.runner.model

    def run_iter(self, data_batch: Sequence[dict]) -> None:
        self.runner.call_hook(
            'before_train_iter', batch_idx=self._iter, data_batch=data_batch)
        outputs = self.runner.model.train_step(
            data_batch, optim_wrapper=self.runner.optim_wrapper)
        self.runner.call_hook(
            'after_train_iter',
            batch_idx=self._iter,
            data_batch=data_batch,
            outputs=outputs)
        self._iter += 1
