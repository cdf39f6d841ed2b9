# Copyright (c) mmrecast contributors. All rights reserved.
"""A trained candidate library, built from its config."""
from mmengine.config import Config

from mmrecast.models.algorithms import CandidateLibrary
from mmrecast.registry import MODELS
from mmrecast.utils.model_cfg import runner_model_cfg
from mmrecast.utils.weights import existing_checkpoint, load_weights_into

__all__ = ['load_library']


def load_library(cfg: Config, checkpoint: str,
                 field: str = '--checkpoint') -> CandidateLibrary:
    """The library of ``cfg.model`` with the weights of ``checkpoint`` (a
    file, or a work dir whose latest checkpoint is meant; ``field`` names it
    in errors), in eval mode. A missing file is refused before the library
    is built."""
    checkpoint = existing_checkpoint(checkpoint, field)
    library = MODELS.build(runner_model_cfg(cfg))
    load_weights_into(library, checkpoint, field=field)
    return library.eval()
