# Copyright (c) mmrecast contributors. All rights reserved.
import copy
from typing import Dict, List, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmrecast.registry import MODELS
from ..recasters import RecastPlan, block_io
from ..recorders import FeatureRecorder, dense
from .base_algorithm import BaseAlgorithm

__all__ = ['BlockRecast']


class _InputRecorder:
    """Records the input of one module (forward pre-hook)."""

    def __init__(self, module: nn.Module):
        self.value: Optional[torch.Tensor] = None
        self.handle = module.register_forward_pre_hook(self._hook)

    def _hook(self, module, args):
        self.value = dense(args[0])

    def remove(self) -> None:
        self.handle.remove()


@MODELS.register_module()
class BlockRecast(BaseAlgorithm):
    """Network Recasting: replace the teacher's blocks by target blocks.

    The student starts as an exact copy of the frozen teacher. The work is
    split into *stages* that :class:`~mmrecast.engine.RecastLoop` runs one
    after the other, each with a fresh optimiser and schedule:

    * ``mode='sequential'`` (the paper): stage i installs the target of
      block i and a re-initialised block i+1, and trains the student from
      the stem up to block i+1 to match the teacher's output of block i+1
      (element-wise MSE; the logits when block i+1 is the classifier). Both
      forwards stop at block i+1. Student BN layers are in train mode.
    * ``mode='parallel'`` (teacher-fed, beyond the paper): one stage
      installs every target at once and trains each on the teacher's own
      input activation of its block, against the teacher's output of that
      block, from a single teacher forward. The next blocks keep the
      teacher's weights, so targets must keep their block's output width.
      A fine-tune stage (``SingleTeacherDistill``) then refines the whole
      student end to end.

    Options beyond the paper (off by default): ``keep_next_weights`` keeps
    block i+1's current weights when its input width is unchanged;
    ``freeze_prefix`` trains only the target and block i+1.

    The number of installed stages is the buffer ``recast_stage``: loading
    a state dict first rebuilds the student to that stage, so ``load_from``,
    resume and ``tools/test.py`` work at any point of the plan.

    Args:
        teacher (dict): Teacher classifier config.
        plan (dict): :class:`~mmrecast.models.recasters.RecastPlan` config.
        teacher_checkpoint (str, optional): Teacher weights (weights-only).
        mode (str): ``'sequential'`` or ``'parallel'``.
        keep_next_weights (bool): See above. Defaults to False.
        freeze_prefix (bool): See above. Defaults to False.
        seed (int): Seed of the new blocks' initialisation (per stage).
        data_preprocessor (dict, optional): Preprocessor config.
        init_cfg (dict, optional): Initialization config.
        fast_teacher (bool): See :class:`BaseAlgorithm`. Defaults to True.
    """

    def __init__(self,
                 teacher: dict,
                 plan: dict,
                 teacher_checkpoint: Optional[str] = None,
                 mode: str = 'sequential',
                 keep_next_weights: bool = False,
                 freeze_prefix: bool = False,
                 seed: int = 0,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 fast_teacher: bool = True):
        super().__init__(data_preprocessor, None, init_cfg, fast_teacher)
        if mode not in ('sequential', 'parallel'):
            raise ValueError(f"mode must be 'sequential' or 'parallel', got "
                             f'{mode!r}')
        self.mode = mode
        self.keep_next_weights = keep_next_weights
        self.freeze_prefix = freeze_prefix
        self.seed = seed
        self.build_teacher(teacher, teacher_checkpoint)
        self.student = copy.deepcopy(self.teacher)
        self.student.requires_grad_(True)
        self.student.train()
        self.plan = RecastPlan(**plan)
        self.steps = self.plan.expand(self.teacher)
        if mode == 'parallel':
            for step in self.steps:
                self._check_parallel(step)
        self.register_buffer('recast_stage', torch.tensor(0))
        self._installed = 0
        self._active = None
        # recorders of the active stage (removed when the next one starts)
        self._recorders: List = []

    def init_weights(self) -> None:
        """Initialise, then make the student an exact copy of the teacher
        again (an uninitialised teacher is initialised here too)."""
        super().init_weights()
        if self._installed == 0:
            self.student.load_state_dict(self.teacher.state_dict())

    # ------------------------------------------------------------ stages
    @property
    def num_stages(self) -> int:
        return 1 if self.mode == 'parallel' else len(self.steps)

    def stage_steps(self, stage: int) -> list:
        return self.steps if self.mode == 'parallel' else [self.steps[stage]]

    def _check_parallel(self, step) -> None:
        source = self.teacher.get_submodule(step.block)
        target = step.recaster.make_target(source, block_io(source))
        if block_io(target).out_channels != block_io(source).out_channels:
            raise ValueError(f"mode='parallel' needs targets that keep their "
                             f'block\'s output width; {step.block} goes '
                             f'{block_io(source).out_channels} -> '
                             f'{block_io(target).out_channels}. Use '
                             "mode='sequential'")

    def install(self, stages: int) -> None:
        """Rebuild the student's structure up to ``stages`` installed
        stages (idempotent; stages are never uninstalled)."""
        for stage in range(self._installed, stages):
            for step in self.stage_steps(stage):
                self.plan.apply_step(
                    self.student,
                    step,
                    self.seed,
                    rebuild_next=self.mode == 'sequential'
                    and not self.keep_next_weights)
            self._installed = stage + 1
        self.recast_stage.fill_(self._installed)
        self.student.to(self.recast_stage.device)

    def begin_stage(self, stage: int) -> None:
        """Install ``stage`` and set what trains and what is matched."""
        self.install(stage + 1)
        for recorder in self._recorders:
            recorder.remove()
        steps = self.stage_steps(stage)
        self._active = stage
        self.student.requires_grad_(False)
        if self.mode == 'parallel':
            self._teacher_in = [
                _InputRecorder(self.teacher.get_submodule(s.block))
                for s in steps
            ]
            self._teacher_rec = FeatureRecorder(
                self.teacher, {s.block: s.block for s in steps},
                'plan.steps')
            self._recorders = self._teacher_in + [self._teacher_rec]
            for s in steps:
                self.student.get_submodule(s.block).requires_grad_(True)
            return
        step = steps[0]
        self._teacher_rec = FeatureRecorder(self.teacher,
                                            dict(out=step.next), 'plan')
        self._student_rec = FeatureRecorder(self.student,
                                            dict(out=step.next), 'plan')
        self._recorders = [self._teacher_rec, self._student_rec]
        if self.freeze_prefix:
            for path in (step.block, step.next):
                self.student.get_submodule(path).requires_grad_(True)
        else:
            # the stem .. block i+1: parameters up to the last of block i+1,
            # in registration order (= forward order for sequential nets)
            last = {id(p) for p in self.student.get_submodule(
                step.next).parameters()}
            seen_last = False
            for param in self.student.parameters():
                if seen_last and id(param) not in last:
                    break
                param.requires_grad_(True)
                seen_last = seen_last or id(param) in last

    # ------------------------------------------------------------ forward
    def loss(self, inputs: torch.Tensor,
             data_samples=None) -> Dict[str, torch.Tensor]:
        if self._active is None:
            raise RuntimeError('no recast stage is active: BlockRecast is '
                               "trained by RecastLoop (train_cfg=dict("
                               "type='RecastLoop', ...))")
        names = list(self._teacher_rec.sources)
        with torch.no_grad():
            self._teacher_rec.run(
                self.teacher_runner(),
                inputs,
                mode='tensor',
                stop_after=names)
        if self.mode == 'parallel':
            losses = []
            for step, rec in zip(self.steps, self._teacher_in):
                target = self.student.get_submodule(step.block)
                losses.append(
                    F.mse_loss(target(rec.value),
                               self._teacher_rec[step.block]))
            return dict(loss_recast=sum(losses) / len(losses))
        self._student_rec.run(
            self.student, inputs, mode='tensor', stop_after=['out'])
        return dict(
            loss_recast=F.mse_loss(self._student_rec['out'],
                                   self._teacher_rec['out']))

    def forward(self, inputs: torch.Tensor, data_samples=None,
                mode: str = 'tensor'):
        """``'loss'``: the active stage's MSE; otherwise the whole student
        (blocks after the active stage are still teacher copies)."""
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        return self.student(inputs, data_samples, mode=mode)

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        # rebuild the structure the weights belong to, then load them
        stage = state_dict.get(prefix + 'recast_stage')
        if stage is not None:
            self.install(int(stage))
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)
