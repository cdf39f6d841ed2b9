# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Dict, List, Optional

from mmrecast.registry import MODELS
from mmrecast.utils.errors import config_arguments
from .block_recast import recasted_student
from .single_teacher_distill import SingleTeacherDistill

__all__ = ['RecastFinetune']


@MODELS.register_module()
class RecastFinetune(SingleTeacherDistill):
    """The fine-tune stage of recasting, configured by the recast run's own
    fields, so a fine-tune config is the recast config plus deltas:
    ``model = dict(type='RecastFinetune', init_from=[...])``.

    The student is the recast network (the teacher's architecture + the
    plan, :func:`recasted_student`); by default it trains with the
    reference's MSE(student logits, teacher logits) + CE, 1:1.

    Args:
        teacher (dict): Teacher classifier config (as in the recast run).
        plan (dict): The recast plan.
        teacher_checkpoint (str, optional): Teacher weights.
        distill_losses (dict, optional): Replaces the logit MSE.
        **kwargs: The recast run's ``mode``, ``keep_next_weights``,
            ``seed`` and ``input_size``, which shape the student; its
            ``freeze_prefix``, which only concerns the recast stage and is
            dropped; and the other :class:`SingleTeacherDistill` arguments.
    """

    #: BlockRecast fields that decide the student's structure.
    RECAST_FIELDS = ('mode', 'keep_next_weights', 'seed', 'input_size')
    #: BlockRecast fields of the recast stage only, accepted so that a
    #: fine-tune config can be the recast config plus deltas.
    RECAST_ONLY_FIELDS = ('freeze_prefix', )

    @classmethod
    def config_fields(cls) -> List[str]:
        """Every field a config entry of this type can set: it takes
        ``**kwargs``, so its signature cannot tell the config check."""
        return (['plan'] + config_arguments(SingleTeacherDistill, {'student'})
                + list(cls.RECAST_FIELDS + cls.RECAST_ONLY_FIELDS))

    def __init__(self,
                 teacher: dict,
                 plan: dict,
                 teacher_checkpoint: Optional[str] = None,
                 distill_losses: Optional[Dict[str, dict]] = None,
                 **kwargs):
        recast = {k: kwargs.pop(k) for k in self.RECAST_FIELDS if k in kwargs}
        for key in self.RECAST_ONLY_FIELDS:
            kwargs.pop(key, None)
        if distill_losses is None:
            distill_losses = dict(
                loss_logits=dict(
                    type='MSELoss', student='logits', teacher='logits'))
        super().__init__(
            student=recasted_student(dict(teacher=teacher, plan=plan,
                                          **recast)),
            teacher=teacher,
            teacher_checkpoint=teacher_checkpoint,
            distill_losses=distill_losses,
            **kwargs)

    @classmethod
    def student_config(cls, model_cfg: dict) -> dict:
        return recasted_student(model_cfg)
