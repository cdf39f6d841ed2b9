# Copyright (c) mmrecast contributors. All rights reserved.
import copy
from typing import Dict, List, Optional, Sequence

import torch

from mmrecast.registry import MODELS
from ..recasters import RecastPlan, RecastStep, probe_input
from .plan_check import check_stages
from .recast_modes import RecastStage, build_recast_mode
from .staged_algorithm import StagedAlgorithm

__all__ = ['BlockRecast', 'recasted_student']


def recasted_student(model_cfg: dict) -> dict:
    """The student config of a recast run's model config (the fields of
    :class:`BlockRecast`): the teacher's architecture plus the plan."""
    mode = build_recast_mode(
        model_cfg.get('mode', 'sequential'),
        keep_next_weights=model_cfg.get('keep_next_weights', False))
    student = dict(
        type='mmrecast.RecastedClassifier',
        architecture=copy.deepcopy(model_cfg['teacher']),
        plan=copy.deepcopy(model_cfg['plan']),
        seed=model_cfg.get('seed', 0),
        rebuild_next=mode.rebuild_next)
    if model_cfg.get('input_size') is not None:
        student['input_size'] = tuple(model_cfg['input_size'])
    return student


def _install_saved_stages(algorithm: 'BlockRecast', state_dict: dict,
                          prefix: str, *args) -> None:
    """Load pre-hook: rebuild the structure the weights belong to."""
    stage = state_dict.get(prefix + 'recast_stage')
    if stage is not None:
        algorithm.install(int(stage))


@MODELS.register_module()
class BlockRecast(StagedAlgorithm):
    """Network Recasting: replace the teacher's blocks by target blocks.

    The student starts as an exact copy of the frozen teacher. The mode
    (:mod:`~mmrecast.models.algorithms.recast_modes`) groups the plan's
    steps into stages that :class:`~mmrecast.engine.RecastLoop` trains one
    after the other, each with a fresh optimiser and schedule:
    ``'sequential'`` is the paper's block-by-block protocol, ``'parallel'``
    trains every target at once on the teacher's own activations,
    ``'chained'`` every target at once on the student's own. The
    fine-tune stage is :class:`RecastFinetune`.

    The number of installed stages is the buffer ``recast_stage``: loading
    a state dict first rebuilds the student to that stage, so ``load_from``,
    resume and ``tools/test.py`` work at any point of the plan.

    Args:
        teacher (dict): Teacher classifier config.
        plan (dict): :class:`~mmrecast.models.recasters.RecastPlan` config.
        teacher_checkpoint (str, optional): Teacher weights (weights-only).
        mode (str): ``'sequential'``, ``'parallel'`` or ``'chained'``.
        keep_next_weights (bool): Keep block i+1's weights when its input
            width is unchanged (sequential). Defaults to False.
        freeze_prefix (bool): Train only the target and block i+1
            (sequential). Defaults to False.
        seed (int): Seed of the new blocks' initialisation (per step).
        input_size (Sequence[int], optional): ``(C, H, W)`` of the inputs:
            block widths and strides are then measured by a probe forward
            (any module type, no reader needed) instead of read from the
            blocks.
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
                 input_size: Optional[Sequence[int]] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 fast_teacher: bool = True):
        super().__init__(data_preprocessor, None, init_cfg, fast_teacher)
        self.mode = mode
        self.recast_mode = build_recast_mode(
            mode,
            keep_next_weights=keep_next_weights,
            freeze_prefix=freeze_prefix)
        self.seed = seed
        self.probe = probe_input(input_size)
        self.build_teacher(teacher, teacher_checkpoint)
        self.student = copy.deepcopy(self.teacher)
        self.student.requires_grad_(True)
        self.student.train()
        self.plan = RecastPlan(**plan)
        self.steps = self.plan.expand(self.teacher)
        self.recast_mode.check(self.teacher, self.steps, self.probe)
        self.stages = self.recast_mode.stages(self.steps)
        self.register_buffer('recast_stage', torch.tensor(0))
        self.active_stage: Optional[RecastStage] = None
        self._installed = 0
        self.register_load_state_dict_pre_hook(_install_saved_stages)

    @classmethod
    def student_config(cls, model_cfg: dict) -> dict:
        return recasted_student(model_cfg)

    def check_plan(self, probe: torch.Tensor) -> List[dict]:
        """Every stage applied to a copy of the teacher, each followed by a
        forward of ``probe``: a plan mistake is a one-line
        :class:`~mmrecast.utils.ConfigError` before any training (see
        :func:`~mmrecast.models.algorithms.plan_check.check_stages`)."""
        return check_stages(self.teacher, self.plan, self.stages,
                            self.recast_mode.rebuild_next, self.seed, probe,
                            self.probe)

    def init_weights(self) -> None:
        """Initialise, then make the student an exact copy of the teacher
        again (an uninitialised teacher is initialised here too)."""
        super().init_weights()
        if self._installed == 0:
            self.student.load_state_dict(self.teacher.state_dict())

    # ------------------------------------------------------------ stages
    @property
    def num_stages(self) -> int:
        return len(self.stages)

    def stage_steps(self, stage: int) -> List[RecastStep]:
        """The plan steps that stage ``stage`` recasts."""
        return self.stages[stage]

    def install(self, stages: int) -> None:
        for stage in range(self._installed, stages):
            for step in self.stages[stage]:
                self.plan.apply_step(self.student, step, self.seed,
                                     self.recast_mode.rebuild_next,
                                     self.probe)
            self._installed = stage + 1
        self.recast_stage.fill_(self._installed)
        self.student.to(self.recast_stage.device)

    def begin_stage(self, stage: int) -> str:
        self.install(stage + 1)
        if self.active_stage is not None:
            self.active_stage.remove()
        steps = self.stages[stage]
        self.active_stage = self.recast_mode.begin(self, steps)
        what = ', '.join(f'{s.block} -> {s.recaster!r}' for s in steps[:3])
        if len(steps) > 3:
            what += f', ... ({len(steps)} blocks)'
        return f'{self.mode}: {what}'

    # ------------------------------------------------------------ forward
    def loss(self, inputs: torch.Tensor,
             data_samples=None) -> Dict[str, torch.Tensor]:
        if self.active_stage is None:
            raise RuntimeError('no recast stage is active: BlockRecast is '
                               "trained by RecastLoop (train_cfg=dict("
                               "type='RecastLoop', ...))")
        return dict(loss_recast=self.active_stage.loss(inputs))

    def forward(self, inputs: torch.Tensor, data_samples=None,
                mode: str = 'tensor'):
        """``'loss'``: the active stage's MSE; otherwise the whole student
        (blocks after the active stage are still teacher copies)."""
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        return self.student(inputs, data_samples, mode=mode)
