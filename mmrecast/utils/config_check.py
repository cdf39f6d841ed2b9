# Copyright (c) mmrecast contributors. All rights reserved.
"""Checks of a run config before anything is built, in one line each."""
import ast
import builtins
import difflib
import os
from typing import Iterable, List, Tuple

from mmengine.config import Config

from .errors import ConfigError, print_warning

__all__ = ['check_config', 'unused_variables', 'RUN_FIELDS']

#: Top-level fields that mmengine's Runner (and mmrecast's tools) read.
RUN_FIELDS = (
    'model', 'work_dir', 'train_dataloader', 'val_dataloader',
    'test_dataloader', 'train_cfg', 'val_cfg', 'test_cfg', 'auto_scale_lr',
    'optim_wrapper', 'param_scheduler', 'val_evaluator', 'test_evaluator',
    'default_hooks', 'custom_hooks', 'data_preprocessor', 'load_from',
    'resume', 'launcher', 'env_cfg', 'log_processor', 'log_level',
    'visualizer', 'default_scope', 'randomness', 'experiment_name', 'cfg',
    'custom_imports', 'model_wrapper_cfg', 'runner_type', 'unsafe_load',
    'vis_backends', 'strategy', 'compile', 'search_dataloader', 'search_cfg')

# (path, what) of counts that must be positive integers when given
_COUNTS = (('train_cfg.iters_per_stage', 'iterations per stage'),
           ('train_cfg.max_iters', 'iterations'),
           ('train_cfg.max_epochs', 'epochs'),
           ('train_cfg.val_interval', 'iterations between validations'),
           ('train_dataloader.batch_size', 'images per batch'),
           ('val_dataloader.batch_size', 'images per batch'),
           ('test_dataloader.batch_size', 'images per batch'))


def _get(cfg: Config, path: str):
    first, *rest = path.split('.')
    value = cfg.get(first)
    for key in rest:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _misspelt(keys: Iterable[str]) -> None:
    for key in keys:
        if key in RUN_FIELDS or key.startswith('_'):
            continue
        close = difflib.get_close_matches(key, RUN_FIELDS, n=1, cutoff=0.8)
        if close:
            raise ConfigError(f'{key}: not a config field; did you mean '
                              f'`{close[0]}`?')


def unused_variables(path: str) -> List[Tuple[str, int]]:
    """Top-level names that the config file ``path`` sets, that are not
    config fields, and that nothing in the file reads: ``(name, line)``.

    Such a name does nothing: its ``_base_`` files were read before it was
    set, so it is a misspelt field or a variable set where it is not used.
    A file that reads no variable and has no ``_base_`` (a flattened dump
    of a run's config) is not checked: its variables are copies.
    """
    if not path.endswith('.py') or not os.path.isfile(path):
        return []
    with open(path) as file:
        tree = ast.parse(file.read(), path)
    read = {node.id for node in ast.walk(tree)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
            } - set(dir(builtins))
    set_here = [(target.id, node.lineno) for node in tree.body
                if isinstance(node, ast.Assign) for target in node.targets
                if isinstance(target, ast.Name)]
    if not read and all(name != '_base_' for name, _ in set_here):
        return []
    return [(name, line) for name, line in set_here
            if name not in RUN_FIELDS and not name.startswith('_')
            and name not in read]


def check_config(cfg: Config) -> None:
    """Refuse what would fail (or silently do nothing) much later: a
    misspelt top-level field, a count that is not a positive integer; warn
    (on stderr, rank 0) of a top-level variable that nothing reads."""
    _misspelt(cfg.keys())
    for name, line in unused_variables(cfg.filename or ''):
        print_warning(f'{cfg.filename}:{line}: {name} is not a config field '
                      'and nothing in the file reads it (its _base_ files '
                      'cannot); a misspelt field?')
    for path, what in _COUNTS:
        value = _get(cfg, path)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) \
                or value < 1:
            raise ConfigError(f'{path}={value!r}: the number of {what} must '
                              f'be a positive integer')
    per_stage = _get(cfg, 'train_cfg.epochs_per_stage')
    if per_stage is not None and (isinstance(per_stage, bool)
                                  or not isinstance(per_stage, (int, float))
                                  or per_stage <= 0):
        raise ConfigError(f'train_cfg.epochs_per_stage={per_stage!r}: must '
                          'be a positive number')
