# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Dict, List, Optional

import torch
import torch.nn as nn

from mmrecast.registry import MODELS
from ..recorders import FeatureRecorder
from .base_algorithm import BaseAlgorithm

__all__ = ['ConnectorPretrain']


@MODELS.register_module()
class ConnectorPretrain(BaseAlgorithm):
    """Pre-train connectors on features of a frozen teacher (unsupervised),
    e.g. Factor Transfer's paraphraser.

    Only the connectors train. The teacher runs without autograd and stops
    after the last recorded module; there is no student in this stage, so
    it costs nothing. Labels are not used.

    Args:
        teacher (dict): Teacher classifier config.
        teacher_checkpoint (str, optional): Teacher weights (weights-only).
        teacher_recorders (dict): Record name -> teacher module path, e.g.
            ``dict(feat='backbone.layer3')``.
        connectors (dict): Connector name -> config.
        losses (dict): Loss name -> loss config with two extra keys:
            ``connector`` (which connector reconstructs) and ``record``
            (which teacher record it reconstructs).
        data_preprocessor (dict, optional): Preprocessor config.
        init_from (list[dict], optional): See :class:`BaseAlgorithm`.
        init_cfg (dict, optional): Initialization config.
        fast_teacher (bool): See :class:`BaseAlgorithm`. Defaults to True.
    """

    def __init__(self,
                 teacher: dict,
                 teacher_recorders: Dict[str, str],
                 connectors: Dict[str, dict],
                 losses: Dict[str, dict],
                 teacher_checkpoint: Optional[str] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_from: Optional[List[dict]] = None,
                 init_cfg: Optional[dict] = None,
                 fast_teacher: bool = True):
        super().__init__(data_preprocessor, init_from, init_cfg,
                         fast_teacher)
        self.build_teacher(teacher, teacher_checkpoint)
        self.recorder = FeatureRecorder(self.teacher, teacher_recorders,
                                        'teacher_recorders')
        self.connectors = nn.ModuleDict(
            {name: MODELS.build(cfg)
             for name, cfg in connectors.items()})
        self.losses, self.loss_inputs = self.build_losses(
            losses, ('connector', 'record'))
        for name, spec in self.loss_inputs.items():
            if spec['connector'] not in self.connectors:
                raise ValueError(f'losses.{name}.connector: '
                                 f'{spec["connector"]!r} is not one of the '
                                 f'connectors {list(self.connectors)}')
            if spec['record'] not in teacher_recorders:
                raise ValueError(f'losses.{name}.record: {spec["record"]!r} '
                                 f'is not one of the teacher_recorders '
                                 f'{list(teacher_recorders)}')

    def loss(self, inputs: torch.Tensor,
             data_samples=None) -> Dict[str, torch.Tensor]:
        with torch.no_grad():
            self.recorder.run(
                self.teacher_runner(),
                inputs,
                mode='tensor',
                stop_after=list(self.recorder.sources))
        losses = {}
        for name, loss in self.losses.items():
            spec = self.loss_inputs[name]
            target = self.recorder[spec['record']]
            losses[name] = loss(self.connectors[spec['connector']](target),
                                target)
        return losses

    def forward(self,
                inputs: torch.Tensor,
                data_samples=None,
                mode: str = 'tensor'):
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        raise RuntimeError(
            f'mode={mode!r}: the connector pre-training stage has no '
            'classifier of its own to evaluate; set val_cfg, '
            'val_dataloader and val_evaluator to None in its config')
