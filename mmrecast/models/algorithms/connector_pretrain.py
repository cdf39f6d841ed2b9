# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Dict, List, Optional, Tuple

import torch

from mmrecast.registry import MODELS
from mmrecast.utils.errors import ConfigError
from .base_algorithm import BaseAlgorithm
from .distiller import Distiller, Source

__all__ = ['ConnectorPretrain']


def _reconstruction(name: str, cfg: dict) -> Tuple[Source, Source]:
    """A pre-training loss compares ``connector(record)`` with ``record``,
    both of the teacher."""
    connector, record = cfg.pop('connector', None), cfg.pop('record', None)
    if connector is None or record is None:
        raise ConfigError(f'losses.{name} needs connector=NAME (which '
                          'connector reconstructs) and record=NAME (which '
                          'teacher record)')
    return (Source('teacher', record, connector), Source('teacher', record))


@MODELS.register_module()
class ConnectorPretrain(BaseAlgorithm):
    """Pre-train connectors on features of a frozen teacher (unsupervised),
    e.g. Factor Transfer's paraphraser.

    Only the connectors train; the teacher runs without autograd and stops
    after the last recorded module. Labels are not used.

    Args:
        teacher (dict): Teacher classifier config.
        teacher_recorders (dict): Record name -> teacher module path, e.g.
            ``dict(feat='backbone.layer3')``.
        connectors (dict): Connector name -> config.
        losses (dict): Loss name -> loss config with two extra keys:
            ``connector`` (which connector reconstructs) and ``record``
            (which teacher record it reconstructs).
        teacher_checkpoint (str, optional): Teacher weights (weights-only).
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
        self.distiller = Distiller(
            dict(teacher=self.record_teacher(teacher_recorders,
                                             'teacher_recorders')),
            connectors, losses, _reconstruction, 'losses')
        self.connectors = self.distiller.connectors
        self.losses = self.distiller.losses

    @classmethod
    def student_config(cls, model_cfg: dict) -> dict:
        raise ConfigError(
            f"model.type={model_cfg.get('type')!r} trains connectors, not a "
            'student: export or evaluate the distill stage that uses them '
            '(its *_train.py config)')

    def loss(self, inputs: torch.Tensor,
             data_samples=None) -> Dict[str, torch.Tensor]:
        self.distiller.run_teacher(self.teacher_runner(), inputs)
        return self.distiller.compute()

    def forward(self,
                inputs: torch.Tensor,
                data_samples=None,
                mode: str = 'tensor'):
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        raise ConfigError(
            f'mode={mode!r}: the connector pre-training stage has no '
            'classifier of its own to evaluate or export; set val_cfg, '
            'val_dataloader and val_evaluator to None in its config')
