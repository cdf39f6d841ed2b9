# Copyright (c) mmrecast contributors. All rights reserved.
"""Checks of a run config before anything is built, in one line each:
names that exist (:mod:`.fields`), values that can work (:mod:`.values`)
and, for a training run, inputs that are there (:mod:`.inputs`)."""
from mmengine.config import Config

from .fields import RUN_FIELDS, check_fields, unused_variables
from .inputs import check_input_files, check_optim_wrapper
from .lookup import registered_class
from .values import LAUNCHERS, check_values, warn_epoch_log

__all__ = [
    'check_config', 'check_input_files', 'check_optim_wrapper',
    'check_run_config', 'registered_class', 'unused_variables', 'RUN_FIELDS',
    'LAUNCHERS'
]


def check_config(cfg: Config) -> None:
    """Refuse what would fail (or silently do nothing) much later:
    :func:`check_fields`, then :func:`check_values`."""
    check_fields(cfg)
    check_values(cfg)


def check_run_config(cfg: Config, init_from: bool = True) -> None:
    """Every check a training run's config gets before anything is built:
    :func:`check_config`, :func:`check_optim_wrapper` and
    :func:`check_input_files` (given ``init_from``), in that order, then
    the warning of :func:`warn_epoch_log`."""
    check_config(cfg)
    check_optim_wrapper(cfg)
    check_input_files(cfg, init_from)
    warn_epoch_log(cfg)
