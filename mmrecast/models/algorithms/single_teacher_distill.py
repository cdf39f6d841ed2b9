# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn

from mmrecast.registry import MODELS
from ..recorders import FeatureRecorder
from .base_algorithm import BaseAlgorithm

__all__ = ['SingleTeacherDistill']

#: Record name that always means the model's output (the logits).
LOGITS = 'logits'


def _parse_input(spec: Union[None, str, dict], field: str) -> dict:
    if spec is None:
        raise ValueError(f'{field} is missing: say what the loss compares, '
                         f"e.g. 'logits' or dict(record='feat', "
                         f"connector='translator')")
    if isinstance(spec, str):
        return dict(record=spec, connector=None)
    unknown = set(spec) - {'record', 'connector'}
    if unknown or 'record' not in spec:
        raise ValueError(f'{field} must be a record name or '
                         f'dict(record=..., connector=...), got {spec}')
    return dict(record=spec['record'], connector=spec.get('connector'))


@MODELS.register_module()
class SingleTeacherDistill(BaseAlgorithm):
    """Train a student with its own loss plus distill losses against a
    frozen teacher, through optional connectors.

    The student's loss is its head's (cross-entropy for an mmpretrain
    classifier), logged as ``loss_cls``; each distill loss is logged under
    its own name. The teacher runs without autograd; when no loss needs its
    logits it stops after its last recorded module.

    Each entry of ``distill_losses`` is a loss config plus ``student`` and
    ``teacher``: what it compares, either a record name (``'logits'`` is
    the model output, other names come from ``*_recorders``) or
    ``dict(record=..., connector=...)`` to pass the record through a
    connector first. Examples:

    * Factor Transfer: ``loss_ft=dict(type='FTLoss', loss_weight=500,
      student=dict(record='feat', connector='translator'),
      teacher=dict(record='feat', connector='paraphraser'))``;
    * KD: ``loss_kd=dict(type='KDLoss', tau=4, student='logits',
      teacher='logits')``;
    * recasting fine-tune: ``loss_logits=dict(type='MSELoss',
      student='logits', teacher='logits')``.

    Args:
        student (dict): Student classifier config.
        teacher (dict): Teacher classifier config.
        teacher_checkpoint (str, optional): Teacher weights (weights-only).
        distill_losses (dict): Named distill losses, see above.
        student_recorders (dict, optional): Record name -> student module
            path.
        teacher_recorders (dict, optional): Record name -> teacher module
            path.
        connectors (dict, optional): Connector name -> config. Connectors
            train with the student unless frozen (e.g. a paraphraser in its
            ``'train'`` phase).
        data_preprocessor (dict, optional): Preprocessor config.
        init_from (list[dict], optional): Weight hand-over (e.g. the
            pre-trained paraphraser, or a student to fine-tune), see
            :class:`BaseAlgorithm`.
        init_cfg (dict, optional): Initialization config.
        fast_teacher (bool): See :class:`BaseAlgorithm`. Defaults to True.
    """

    def __init__(self,
                 student: dict,
                 teacher: dict,
                 distill_losses: Dict[str, dict],
                 teacher_checkpoint: Optional[str] = None,
                 student_recorders: Optional[Dict[str, str]] = None,
                 teacher_recorders: Optional[Dict[str, str]] = None,
                 connectors: Optional[Dict[str, dict]] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_from: Optional[List[dict]] = None,
                 init_cfg: Optional[dict] = None,
                 fast_teacher: bool = True):
        super().__init__(data_preprocessor, init_from, init_cfg,
                         fast_teacher)
        self.student = MODELS.build(student)
        self.build_teacher(teacher, teacher_checkpoint)
        self.student_recorder = FeatureRecorder(
            self.student, student_recorders or {}, 'student_recorders')
        self.teacher_recorder = FeatureRecorder(
            self.teacher, teacher_recorders or {}, 'teacher_recorders')
        self.connectors = nn.ModuleDict(
            {name: MODELS.build(cfg)
             for name, cfg in (connectors or {}).items()})
        self.losses, raw_inputs = self.build_losses(distill_losses,
                                                    ('student', 'teacher'))
        self.loss_inputs = {}
        for name, raw in raw_inputs.items():
            parsed = {}
            for side, recorder in (('student', self.student_recorder),
                                   ('teacher', self.teacher_recorder)):
                spec = _parse_input(raw[side], f'distill_losses.{name}.'
                                    f'{side}')
                if spec['record'] != LOGITS \
                        and spec['record'] not in recorder.sources:
                    raise ValueError(
                        f'distill_losses.{name}.{side}: record '
                        f'{spec["record"]!r} is neither {LOGITS!r} nor one '
                        f'of the {side}_recorders {list(recorder.sources)}')
                if spec['connector'] is not None \
                        and spec['connector'] not in self.connectors:
                    raise ValueError(
                        f'distill_losses.{name}.{side}: connector '
                        f'{spec["connector"]!r} is not one of '
                        f'{list(self.connectors)}')
                parsed[side] = spec
            self.loss_inputs[name] = parsed
        self._teacher_logits = any(p['teacher']['record'] == LOGITS
                                   for p in self.loss_inputs.values())
        self._student_logits = any(p['student']['record'] == LOGITS
                                   for p in self.loss_inputs.values())

    def _fetch(self, spec: dict, recorder: FeatureRecorder,
               logits: Optional[torch.Tensor]) -> torch.Tensor:
        value = logits if spec['record'] == LOGITS else recorder[
            spec['record']]
        if spec['connector'] is not None:
            value = self.connectors[spec['connector']](value)
        return value

    def loss(self, inputs: torch.Tensor,
             data_samples: list) -> Dict[str, torch.Tensor]:
        teacher_logits = None
        if self._teacher_logits or self.teacher_recorder.sources:
            with torch.no_grad():
                teacher_logits = self.teacher_recorder.run(
                    self.teacher_runner(),
                    inputs,
                    mode='tensor',
                    stop_after=None if self._teacher_logits else list(
                        self.teacher_recorder.sources))
        feats = self.student_recorder.run(self.student.extract_feat, inputs)
        losses = {
            'loss_cls' if key == 'loss' else key: value
            for key, value in self.student.head.loss(feats,
                                                     data_samples).items()
        }
        student_logits = self.student.head(feats) \
            if self._student_logits else None
        for name, loss in self.losses.items():
            spec = self.loss_inputs[name]
            losses[name] = loss(
                self._fetch(spec['student'], self.student_recorder,
                            student_logits),
                self._fetch(spec['teacher'], self.teacher_recorder,
                            teacher_logits))
        return losses

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[list] = None,
                mode: str = 'tensor'):
        """``'loss'``: the training losses; ``'predict'`` / ``'tensor'``:
        the student's, so validation and testing measure the student."""
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        return self.student(inputs, data_samples, mode=mode)
