# Copyright (c) mmrecast contributors. All rights reserved.
"""A run config's model entry, as mmengine's Runner builds it."""
import copy
from typing import Iterable

from mmengine.config import Config

__all__ = ['runner_model_cfg']


def runner_model_cfg(cfg: Config, drop: Iterable[str] = ()) -> dict:
    """A copy of ``cfg.model`` with the top-level ``data_preprocessor``
    merged in unless the model sets its own, as the Runner does, and
    without the keys ``drop`` (for instance ``teacher_checkpoint`` where
    only the architecture matters).

    Tools that build a config's model outside a Runner (reports, timings,
    conversions) use it, so their model is the one a run trains.
    """
    model_cfg = copy.deepcopy(cfg.model)
    if cfg.get('data_preprocessor') is not None:
        model_cfg.setdefault('data_preprocessor', cfg.data_preprocessor)
    for key in drop:
        model_cfg.pop(key, None)
    return model_cfg
