# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Dict, Optional

from mmrecast.registry import MODELS
from .single_teacher_distill import SingleTeacherDistill

__all__ = ['RecastFinetune', 'recasted_student']


def recasted_student(teacher: dict,
                     plan: dict,
                     mode: str = 'sequential',
                     keep_next_weights: bool = False,
                     seed: int = 0) -> dict:
    """The student config of a recast run (``BlockRecast`` fields)."""
    return dict(
        type='mmrecast.RecastedClassifier',
        architecture=teacher,
        plan=plan,
        seed=seed,
        rebuild_next=mode == 'sequential' and not keep_next_weights)


@MODELS.register_module()
class RecastFinetune(SingleTeacherDistill):
    """The fine-tune stage of recasting, configured by the recast run's own
    fields, so a fine-tune config is the recast config plus deltas:
    ``model = dict(type='RecastFinetune', init_from=[...])``.

    The student is the recast network (the teacher's architecture + the
    plan); by default it trains with the reference's MSE(student logits,
    teacher logits) + CE, 1:1.

    Args:
        teacher (dict): Teacher classifier config (as in the recast run).
        plan (dict): The recast plan.
        teacher_checkpoint (str, optional): Teacher weights.
        mode (str): The recast run's mode. Defaults to ``'sequential'``.
        keep_next_weights (bool): As in the recast run.
        freeze_prefix (bool): Recast-stage option; ignored here.
        seed (int): The recast run's seed.
        distill_losses (dict, optional): Replaces the logit MSE.
        **kwargs: Other :class:`SingleTeacherDistill` arguments
            (``init_from``, connectors, recorders, data_preprocessor).
    """

    def __init__(self,
                 teacher: dict,
                 plan: dict,
                 teacher_checkpoint: Optional[str] = None,
                 mode: str = 'sequential',
                 keep_next_weights: bool = False,
                 freeze_prefix: bool = False,
                 seed: int = 0,
                 distill_losses: Optional[Dict[str, dict]] = None,
                 **kwargs):
        if distill_losses is None:
            distill_losses = dict(
                loss_logits=dict(
                    type='MSELoss', student='logits', teacher='logits'))
        super().__init__(
            student=recasted_student(teacher, plan, mode, keep_next_weights,
                                     seed),
            teacher=teacher,
            teacher_checkpoint=teacher_checkpoint,
            distill_losses=distill_losses,
            **kwargs)
