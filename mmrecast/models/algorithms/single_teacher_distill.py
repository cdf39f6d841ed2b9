# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Dict, List, Optional, Tuple

import torch

from mmrecast.registry import MODELS
from mmrecast.utils.errors import ConfigError
from ..recorders import FeatureRecorder
from ..utils import TeacherLogitCache
from .base_algorithm import BaseAlgorithm
from .distiller import Distiller, Source

__all__ = ['SingleTeacherDistill']


def _student_and_teacher(name: str, cfg: dict) -> Tuple[Source, Source]:
    """A distill loss compares ``cfg.student`` with ``cfg.teacher``."""
    return (Source.parse('student', cfg.pop('student', None),
                         f'distill_losses.{name}.student'),
            Source.parse('teacher', cfg.pop('teacher', None),
                         f'distill_losses.{name}.teacher'))


@MODELS.register_module()
class SingleTeacherDistill(BaseAlgorithm):
    """Train a student with its own loss plus distill losses against a
    frozen teacher, through optional connectors.

    The student's loss is its head's (cross-entropy for an mmpretrain
    classifier), logged as ``loss_cls``; each distill loss is logged under
    its own name. Each entry of ``distill_losses`` is a loss config plus
    ``student`` and ``teacher``: what it compares, a record name
    (``'logits'`` is the model output, other names come from
    ``*_recorders``) or ``dict(record=..., connector=...)``. Examples:

    * Factor Transfer: ``loss_ft=dict(type='FTLoss', loss_weight=500,
      student=dict(record='feat', connector='translator'),
      teacher=dict(record='feat', connector='paraphraser'))``;
    * KD: ``loss_kd=dict(type='KDLoss', tau=4, student='logits',
      teacher='logits')``.

    Args:
        student (dict): Student classifier config.
        teacher (dict): Teacher classifier config.
        distill_losses (dict): Named distill losses, see above.
        teacher_checkpoint (str, optional): Teacher weights (weights-only).
        student_recorders (dict, optional): Record name -> student module
            path.
        teacher_recorders (dict, optional): Record name -> teacher module
            path.
        connectors (dict, optional): Connector name -> config. Connectors
            train with the student unless frozen.
        data_preprocessor (dict, optional): Preprocessor config.
        init_from (list[dict], optional): See :class:`BaseAlgorithm`.
        init_cfg (dict, optional): Initialization config.
        fast_teacher (bool): See :class:`BaseAlgorithm`. Defaults to True.
        label_loss (bool): Train on the labels too (the student head's own
            loss). False trains on unlabeled images (e.g. a
            ``CustomDataset`` with ``with_label=False``) from the distill
            losses alone. Defaults to True.
        cache_teacher_logits (bool): Reuse the teacher's logits of each
            training view (:class:`TeacherLogitCache`) instead of running
            the teacher on every batch; for losses on the teacher's logits
            alone, and images drawn by ``crop_flip_collate`` with
            ``padding=0``. Defaults to False.
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
                 fast_teacher: bool = True,
                 label_loss: bool = True,
                 cache_teacher_logits: bool = False):
        super().__init__(data_preprocessor, init_from, init_cfg,
                         fast_teacher)
        self.label_loss = label_loss
        self.student = MODELS.build(student)
        self.build_teacher(teacher, teacher_checkpoint)
        recorders = dict(
            student=FeatureRecorder(self.student, student_recorders or {},
                                    'student_recorders'),
            teacher=self.record_teacher(teacher_recorders or {},
                                        'teacher_recorders'))
        self.distiller = Distiller(recorders, connectors or {},
                                   distill_losses, _student_and_teacher,
                                   'distill_losses')
        self.connectors = self.distiller.connectors
        self.losses = self.distiller.losses
        self.teacher_cache = None
        if cache_teacher_logits:
            self._check_cacheable(teacher_recorders)
            self.teacher_cache = TeacherLogitCache()

    def _check_cacheable(self, teacher_recorders: Optional[dict]) -> None:
        """Refuse a cache of logits where the step needs more, or where
        the preprocessor mixes images."""
        field = 'model.cache_teacher_logits'
        if teacher_recorders or not self.distiller.needs_logits('teacher'):
            raise ConfigError(f'{field}: it stores the teacher\'s logits, '
                              'and the distill losses read teacher '
                              'features; set it False')
        if getattr(self.data_preprocessor, 'batch_augments', None):
            raise ConfigError(f'{field}: batch_augments mix the images, so '
                              'a view\'s logits change; drop one of them')

    def loss(self, inputs: torch.Tensor,
             data_samples: list) -> Dict[str, torch.Tensor]:
        distiller = self.distiller

        def run_teacher(images: torch.Tensor) -> Optional[torch.Tensor]:
            return distiller.run_teacher(self.teacher_runner(), images)

        cache = self.teacher_cache
        if cache is None:
            logits = dict(teacher=run_teacher(inputs))
        else:
            before = cache.computed
            logits = dict(teacher=cache(run_teacher, inputs, data_samples))
        feats = distiller.recorders['student'].run(self.student.extract_feat,
                                                   inputs)
        losses = self._label_losses(feats, data_samples)
        if cache is not None:  # logged: the share the teacher ran on
            losses['teacher_ran'] = torch.tensor(
                (cache.computed - before) / len(inputs))
        if distiller.needs_logits('student'):
            logits['student'] = self.student.head(feats)
        losses.update(distiller.compute(logits))
        return losses

    def _label_losses(self, feats, data_samples: list) -> dict:
        """The student head's own loss on the labels, as ``loss_cls``."""
        if not self.label_loss:
            return {}
        if data_samples and 'gt_label' not in data_samples[0]:
            raise ConfigError('train_dataloader: the images have no labels; '
                              'set model.label_loss=False to train from the '
                              'distill losses alone')
        return {
            'loss_cls' if key == 'loss' else key: value
            for key, value in self.student.head.loss(feats,
                                                     data_samples).items()
        }

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[list] = None,
                mode: str = 'tensor'):
        """``'loss'``: the training losses; ``'predict'`` / ``'tensor'``:
        the student's, so validation and testing measure the student."""
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        return self.student(inputs, data_samples, mode=mode)
