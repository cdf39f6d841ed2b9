# Copyright (c) mmrecast contributors. All rights reserved.
"""The ways :class:`BlockRecast` trains its targets.

A mode groups the plan's steps into stages, decides whether the block after
a target is rebuilt, and makes the active stage (its trainable parameters,
recorders and loss). Adding a mode is adding a class to ``RECAST_MODES``.
"""
import difflib
from abc import ABCMeta, abstractmethod
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Type

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmrecast.utils.errors import ConfigError
from ..recasters import (RecastStep, block_io, probe_teacher,
                         removes_as_identity, target_width)
from ..recorders import FeatureRecorder, InputRecorder

if TYPE_CHECKING:
    from .block_recast import BlockRecast

__all__ = [
    'RecastMode', 'RecastStage', 'SequentialRecast', 'ParallelRecast',
    'ChainedRecast', 'RECAST_MODES', 'build_recast_mode'
]


class RecastStage(metaclass=ABCMeta):
    """The training stage in progress: its recorders and its loss."""

    def __init__(self, recorders: Sequence[FeatureRecorder]):
        self.recorders = list(recorders)

    @abstractmethod
    def loss(self, inputs: torch.Tensor) -> torch.Tensor:
        """The stage's recast loss on a batch."""

    def remove(self) -> None:
        """Take the stage's hooks off the models."""
        for recorder in self.recorders:
            recorder.remove()


def _refuse_unfit(steps: List[RecastStep],
                  measured: Dict[str, tuple]) -> None:
    """Refuse a step whose recaster cannot recast its block, measured
    (``measured``: block -> (widths, input shape); none when empty)."""
    for step in steps:
        if step.block in measured:
            io, in_shape = measured[step.block]
            step.recaster.check_fits(step.block, in_shape, io, 'plan.steps')


class RecastMode(metaclass=ABCMeta):
    """How the steps of a plan are trained.

    Args:
        keep_next_weights (bool): Keep the next block's weights where its
            input width allows (sequential mode).
        freeze_prefix (bool): Train only the target and the next block
            (sequential mode).
    """

    def __init__(self,
                 keep_next_weights: bool = False,
                 freeze_prefix: bool = False):
        self.keep_next_weights = keep_next_weights
        self.freeze_prefix = freeze_prefix

    @property
    @abstractmethod
    def rebuild_next(self) -> bool:
        """Whether installing a target also rebuilds the block after it."""

    @abstractmethod
    def stages(self, steps: List[RecastStep]) -> List[List[RecastStep]]:
        """The steps grouped into stages, in training order."""

    def check(self,
              teacher: nn.Module,
              steps: List[RecastStep],
              probe: Optional[torch.Tensor] = None) -> None:
        """Refuse a plan this mode cannot train (at build time; widths
        measured with ``probe`` when given): here, a block its recaster
        cannot recast (tokens given to a convolution)."""
        if probe is not None:
            _refuse_unfit(
                steps, probe_teacher(teacher, [s.block for s in steps], probe))

    @abstractmethod
    def begin(self, algorithm: 'BlockRecast',
              steps: List[RecastStep]) -> RecastStage:
        """Set the trainable parameters of a stage and make its loss."""


class _SequentialStage(RecastStage):
    """Match the teacher's output of the block after the target."""

    def __init__(self, algorithm: 'BlockRecast', step: RecastStep):
        self.teacher = algorithm.teacher_runner()
        self.student = algorithm.student
        self.teacher_out = algorithm.record_teacher(dict(out=step.next),
                                                    'plan')
        self.student_out = FeatureRecorder(self.student, dict(out=step.next),
                                           'plan')
        super().__init__([self.teacher_out, self.student_out])

    def loss(self, inputs: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            self.teacher_out.run(
                self.teacher, inputs, mode='tensor', stop_after=['out'])
        self.student_out.run(
            self.student, inputs, mode='tensor', stop_after=['out'])
        return F.mse_loss(self.student_out['out'], self.teacher_out['out'])


class SequentialRecast(RecastMode):
    """The paper's protocol: one stage per step.

    Stage i installs the target of block i and a re-initialised block i+1,
    and trains the student from the stem up to block i+1 (or, with
    ``freeze_prefix``, just those two) to match the teacher's output of
    block i+1 (the logits when block i+1 is the classifier).
    """

    @property
    def rebuild_next(self) -> bool:
        return not self.keep_next_weights

    def stages(self, steps: List[RecastStep]) -> List[List[RecastStep]]:
        return [[step] for step in steps]

    def check(self,
              teacher: nn.Module,
              steps: List[RecastStep],
              probe: Optional[torch.Tensor] = None) -> None:
        super().check(teacher, steps, probe)
        spans = [s.block for s in steps if s.covers is not None]
        if spans:
            raise ConfigError(
                f'plan.steps covers (of {spans[0]}): spans are trained '
                "teacher-fed; use mode='parallel' or 'chained', or drop "
                'covers')

    def begin(self, algorithm: 'BlockRecast',
              steps: List[RecastStep]) -> RecastStage:
        step, student = steps[0], algorithm.student
        student.requires_grad_(False)
        if self.freeze_prefix:
            for path in (step.block, step.next):
                student.get_submodule(path).requires_grad_(True)
        else:
            # the stem .. block i+1: parameters up to the last of block i+1,
            # in registration order (= forward order for sequential nets)
            last = {id(p) for p in student.get_submodule(
                step.next).parameters()}
            seen_last = False
            for param in student.parameters():
                if seen_last and id(param) not in last:
                    break
                param.requires_grad_(True)
                seen_last = seen_last or id(param) in last
        return _SequentialStage(algorithm, step)


def _matched(steps: List[RecastStep]) -> Dict[str, str]:
    """Block -> the teacher block whose output its target learns: its own,
    or for a span the next one (``covers``)."""
    return {s.block: s.covers or s.block for s in steps}


class _ParallelStage(RecastStage):
    """Each target on its block's teacher input, against its output (a
    span's: the output of the block it covers)."""

    def __init__(self, algorithm: 'BlockRecast', steps: List[RecastStep]):
        blocks = {s.block: s.block for s in steps}
        self.teacher = algorithm.teacher_runner()
        self.targets = [algorithm.student.get_submodule(b) for b in blocks]
        self.blocks = list(blocks)
        self.teacher_in = algorithm.record_teacher(blocks, 'plan.steps',
                                                   InputRecorder)
        self.teacher_out = algorithm.record_teacher(_matched(steps),
                                                    'plan.steps')
        super().__init__([self.teacher_in, self.teacher_out])

    def loss(self, inputs: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            self.teacher_out.run(
                self.teacher, inputs, mode='tensor', stop_after=self.blocks)
        losses = [
            F.mse_loss(target(self.teacher_in[block]),
                       self.teacher_out[block])
            for block, target in zip(self.blocks, self.targets)
        ]
        return sum(losses) / len(losses)


class ParallelRecast(RecastMode):
    """Teacher-fed recasting: one stage trains every target at once, each
    on the teacher's input activation of its block against the teacher's
    output of that block, from one teacher forward. The next blocks keep
    the teacher's weights, so targets must keep their block's width."""

    #: The stage class :meth:`begin` makes.
    stage: Type[RecastStage] = _ParallelStage

    @property
    def rebuild_next(self) -> bool:
        return False

    def stages(self, steps: List[RecastStep]) -> List[List[RecastStep]]:
        return [list(steps)]

    def check(self,
              teacher: nn.Module,
              steps: List[RecastStep],
              probe: Optional[torch.Tensor] = None) -> None:
        measured = probe_teacher(teacher, [s.block for s in steps], probe) \
            if probe is not None else {}
        _refuse_unfit(steps, measured)
        removals = {}
        for step in steps:
            source = teacher.get_submodule(step.block)
            io, in_shape = measured[step.block] if measured \
                else (block_io(source), None)
            target = step.recaster.make_target(source, io)
            new_width = target_width(target, io, in_shape)
            if new_width != io.out_channels:
                raise ConfigError(
                     f"mode='parallel' and 'chained' need targets that keep "
                     f"their block's output width; {step.block} goes "
                     f'{io.out_channels} -> {new_width}. Use '
                     "mode='sequential'")
            removals[step.block] = removes_as_identity(io, target)
        for step in steps:
            if step.covers is not None and not removals[step.covers]:
                raise ConfigError(
                    f'plan.steps covers={step.covers!r} (of {step.block}): '
                    f'a span needs {step.covers} removed as an identity (a '
                    'stride-1 block of equal widths, recast by '
                    "BlockToShortcut); drop covers or change that step")

    def begin(self, algorithm: 'BlockRecast',
              steps: List[RecastStep]) -> RecastStage:
        algorithm.student.requires_grad_(False)
        for step in steps:
            algorithm.student.get_submodule(step.block).requires_grad_(True)
        return self.stage(algorithm, steps)


def _detached_input(module: nn.Module, args: tuple) -> tuple:
    """Forward pre-hook: the module's first input, cut from the graph."""
    return (args[0].detach(), *args[1:])


class _ChainedStage(RecastStage):
    """Each target on the student's own input, against the teacher's
    output of its block (a span's: of the block it covers)."""

    def __init__(self, algorithm: 'BlockRecast', steps: List[RecastStep]):
        blocks = {s.block: s.block for s in steps}
        self.teacher = algorithm.teacher_runner()
        self.student = algorithm.student
        self.blocks = list(blocks)
        self.teacher_out = algorithm.record_teacher(_matched(steps),
                                                    'plan.steps')
        self.student_out = FeatureRecorder(self.student, blocks, 'plan.steps')
        self.cuts = [
            self.student.get_submodule(b).register_forward_pre_hook(
                _detached_input) for b in blocks
        ]
        super().__init__([self.teacher_out, self.student_out])

    def loss(self, inputs: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            self.teacher_out.run(
                self.teacher, inputs, mode='tensor', stop_after=self.blocks)
        self.student_out.run(
            self.student, inputs, mode='tensor', stop_after=self.blocks)
        losses = [
            F.mse_loss(self.student_out[block], self.teacher_out[block])
            for block in self.blocks
        ]
        return sum(losses) / len(losses)

    def remove(self) -> None:
        super().remove()
        for cut in self.cuts:
            cut.remove()


class ChainedRecast(ParallelRecast):
    """Student-fed recasting: one stage trains every target at once, each
    on the input the *student* gives its block (cut from the graph, so
    each target learns alone) against the teacher's output of that block.

    Teacher-fed targets never see the errors of the targets before them,
    and in a deep plain student those errors compound; a chained target
    learns to correct them. One teacher and one student forward per batch.
    Same width rule as ``'parallel'``. Frozen modules between targets run
    as the rest of the student does (in training mode).
    """

    stage = _ChainedStage


#: ``mode`` name -> class.
RECAST_MODES: Dict[str, Type[RecastMode]] = dict(
    sequential=SequentialRecast, parallel=ParallelRecast,
    chained=ChainedRecast)


def build_recast_mode(mode: str, **kwargs) -> RecastMode:
    """The mode called ``mode`` (see :data:`RECAST_MODES`)."""
    if mode not in RECAST_MODES:
        close = difflib.get_close_matches(str(mode), RECAST_MODES, n=1)
        hint = f'; did you mean {close[0]!r}?' if close else ''
        raise ConfigError(f'model.mode must be one of {sorted(RECAST_MODES)},'
                          f' got {mode!r}{hint}')
    return RECAST_MODES[mode](**kwargs)
