# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Optional, Sequence

import torch.nn as nn

from mmrecast.registry import MODELS
from .recast_plan import RecastPlan, probe_input

__all__ = ['build_recasted_classifier']


def build_recasted_classifier(architecture: dict,
                              plan: dict,
                              seed: int = 0,
                              rebuild_next: bool = True,
                              input_size: Optional[Sequence[int]] = None,
                              data_preprocessor: Optional[dict] = None,
                              init_cfg: Optional[dict] = None) -> nn.Module:
    """The student of a recast run, from the teacher's architecture config
    and the plan alone (no weights needed).

    Registered as ``RecastedClassifier``: an exported or fine-tuned student
    is ``model = dict(type='mmrecast.RecastedClassifier',
    architecture=<teacher classifier config>, plan=<the plan>)``, and the
    result is the plain classifier (e.g. an mmpretrain ``ImageClassifier``)
    with its blocks replaced.

    Args:
        architecture (dict): The teacher's model config.
        plan (dict): The :class:`RecastPlan` config of the run.
        seed (int): The run's recast seed (only the fresh weights depend on
            it).
        rebuild_next (bool): As the run's ``keep_next_weights`` negated.
        input_size (Sequence[int], optional): The run's ``input_size``
            (widths measured by a probe forward, as in the run).
        data_preprocessor (dict, optional): Given to the architecture (the
            runner passes the config's top-level one).
        init_cfg (dict, optional): Set on the result, e.g. a
            ``Pretrained`` init.
    """
    architecture = dict(architecture)
    if data_preprocessor is not None:
        architecture.setdefault('data_preprocessor', data_preprocessor)
    model = MODELS.build(architecture)
    RecastPlan(**plan).apply(model, seed, rebuild_next=rebuild_next,
                             probe=probe_input(input_size))
    if init_cfg is not None:
        model.init_cfg = init_cfg
    return model


MODELS.register_module('RecastedClassifier', module=build_recasted_classifier)
