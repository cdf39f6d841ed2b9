# Copyright (c) mmrecast contributors. All rights reserved.
"""A candidate library, built from its config."""
import argparse
from typing import Dict, List, NamedTuple, Optional

from mmengine.config import Config

from mmrecast.models.algorithms import CandidateLibrary
from mmrecast.registry import MODELS
from mmrecast.utils.cli import cfg_options_dict, load_config
from mmrecast.utils.config_check import check_config
from mmrecast.utils.errors import ConfigError
from mmrecast.utils.model_cfg import runner_model_cfg
from mmrecast.utils.weights import existing_checkpoint, load_weights_into
from .plan_writer import search_config_path, search_configs

__all__ = [
    'LibraryAndRecast', 'check_library_config', 'load_library',
    'load_library_and_recast', 'load_library_config', 'load_searched_library'
]


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
    """The library of ``cfg.model`` with the weights of ``checkpoint`` (as
    :func:`load_searched_library`), in eval mode. ``checkpoint=None``
    builds it untrained, without loading the teacher's weights either
    (enough for timings)."""
    if checkpoint is None:
        library = MODELS.build(runner_model_cfg(cfg, ['teacher_checkpoint']))
        return library.eval()
    return load_searched_library(cfg, checkpoint, field)


def load_searched_library(cfg: Config,
                          checkpoint: Optional[str],
                          field: str = '--checkpoint') -> CandidateLibrary:
    """The library a search or plan writer reads, in eval mode: with the
    weights of ``checkpoint`` (a file, or a work dir whose latest checkpoint
    is meant; ``field`` names it in errors), refused before the library is
    built when missing; a library of removals alone (nothing to train) with
    its teacher's weights and no checkpoint. Either given the other way is
    refused in one line."""
    if checkpoint is not None:
        checkpoint = existing_checkpoint(checkpoint, field)
    library = MODELS.build(runner_model_cfg(cfg))
    if library.trained and checkpoint is None:
        raise ConfigError(
            f'{field} is missing: give the trained library (the file or '
            'work dir of tools/train.py CONFIG); only a library of removals '
            'alone is searched without one')
    if not library.trained and checkpoint is not None:
        raise ConfigError(
            f'{field} {checkpoint}: a library of removals alone has no '
            f'weights of its own (it is never trained); leave {field} out: '
            "the teacher's come from model.teacher_checkpoint")
    if checkpoint is not None:
        load_weights_into(library, checkpoint, field=field)
    return library.eval()


class LibraryAndRecast(NamedTuple):
    """A library config and the recast config its ``search_cfg`` names,
    each with the ``--cfg-options`` words merged into it (``options``:
    ``'library'``/``'recast'`` -> words, for runs started from them)."""
    library: Config
    recast: Config
    recast_path: str
    options: Dict[str, List[str]]


def load_library_and_recast(args: argparse.Namespace,
                            tool: str) -> LibraryAndRecast:
    """``args.config`` (a library, refused naming ``tool`` otherwise) and
    its recast config, with the options of
    :func:`~mmrecast.utils.cli.add_library_cfg_options` merged and both
    checked as run configs: a typo is refused in one line before any
    work."""
    both = cfg_options_dict(args.cfg_options)
    own = {name: cfg_options_dict(getattr(args, f'{name}_cfg_options'),
                                  f'--{name}-cfg-options')
           for name in ('library', 'recast')}
    library = load_library_config(args.config, {**both, **own['library']},
                                  tool)
    recast_path = search_config_path(args.config, search_configs(library),
                                     'recast_config')
    recast = load_config(recast_path, {**both, **own['recast']})
    check_config(recast)
    options = dict(library=[*args.cfg_options, *args.library_cfg_options],
                   recast=[*args.cfg_options, *args.recast_cfg_options])
    return LibraryAndRecast(library, recast, recast_path, options)
