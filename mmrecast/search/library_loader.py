# Copyright (c) mmrecast contributors. All rights reserved.
"""A candidate library, built from its config."""
from typing import Optional

from mmengine.config import Config

from mmrecast.models.algorithms import CandidateLibrary
from mmrecast.registry import MODELS
from mmrecast.utils.cli import load_config
from mmrecast.utils.config_check import check_config
from mmrecast.utils.errors import ConfigError
from mmrecast.utils.model_cfg import runner_model_cfg
from mmrecast.utils.weights import existing_checkpoint, load_weights_into

__all__ = ['check_library_config', 'load_library', 'load_library_config']


def check_library_config(cfg: Config, tool: str) -> None:
    """Refuse, naming ``tool``, a config whose model is not a
    :class:`CandidateLibrary`."""
    if cfg.model.get('type') != 'CandidateLibrary':
        raise ConfigError(f'model.type={cfg.model.get("type")!r}: {tool} '
                          'needs a CandidateLibrary config '
                          '(configs/recast_search/*_library*.py)')


def load_library_config(path: str, cfg_options: Optional[dict],
                        tool: str) -> Config:
    """The config at ``path`` with ``cfg_options`` merged, checked as a
    run config (:func:`~mmrecast.utils.config_check.check_config`) and
    refused, naming ``tool``, unless its model is a library."""
    cfg = load_config(path, cfg_options)
    check_config(cfg)
    check_library_config(cfg, tool)
    return cfg


def load_library(cfg: Config,
                 checkpoint: Optional[str],
                 field: str = '--checkpoint') -> CandidateLibrary:
    """The library of ``cfg.model`` with the weights of ``checkpoint`` (a
    file, or a work dir whose latest checkpoint is meant; ``field`` names it
    in errors), in eval mode. A missing file is refused before the library
    is built. ``checkpoint=None`` builds it untrained, without loading the
    teacher's weights either (enough for timings)."""
    if checkpoint is None:
        library = MODELS.build(runner_model_cfg(cfg, ['teacher_checkpoint']))
        return library.eval()
    checkpoint = existing_checkpoint(checkpoint, field)
    library = MODELS.build(runner_model_cfg(cfg))
    load_weights_into(library, checkpoint, field=field)
    return library.eval()
