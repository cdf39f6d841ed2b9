# Copyright (c) mmrecast contributors. All rights reserved.
"""Checks that every name a config gives exists: top-level fields,
``search_cfg`` keys, the arguments of what the Runner and the registries
build, recaster types; and a warning for a variable that nothing reads."""
import ast
import builtins
import difflib
import inspect
import os
import re
from typing import Any, Iterable, Iterator, List, Optional, Tuple

from mmengine.config import Config

from ..errors import (RUNNER_GIVES, ConfigError, argument_hint,
                      config_arguments, print_warning)
from .lookup import LOADERS, closest_hint, registered_class, scheduler_entries

__all__ = ['RUN_FIELDS', 'check_fields', 'unused_variables']


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


#: Keys of ``search_cfg`` that the plan search's tools read besides the
#: settings of ``mmrecast.search.SearchSettings``.
SEARCH_FIELDS = ('recast_config', 'finetune_config', 'row_limits')


def _misspelt(keys: Iterable[str]) -> None:
    for key in keys:
        if key in RUN_FIELDS or key.startswith('_'):
            continue
        close = difflib.get_close_matches(key, RUN_FIELDS, n=1, cutoff=0.8)
        if close:
            raise ConfigError(f'{key}: not a config field; did you mean '
                              f'`{close[0]}`?')


def _search_fields(cfg: Config) -> None:
    """A key of ``search_cfg`` that no tool reads (a typo'd
    ``row_limits`` was a search without its limits), or a search setting
    the search would refuse after the library trained."""
    from mmrecast.search.search_settings import SearchSettings, search_settings
    fields = [*SEARCH_FIELDS, *SearchSettings._fields]
    search_cfg = cfg.get('search_cfg')
    if search_cfg is None:
        return
    if not isinstance(search_cfg, dict):
        raise ConfigError(f'search_cfg={search_cfg!r}: give a dict('
                          'recast_config=..., finetune_config=...)')
    for key in search_cfg:
        if key not in fields:
            raise ConfigError(f'search_cfg.{key}: not a search setting; '
                              f'{argument_hint(key, fields)}')
    search_settings(search_cfg)


def _runner_built(cfg: Config) -> Iterator[Tuple[str, type, List[str],
                                                 Optional[type]]]:
    """``(field, class, extra keys, the other class)`` of the entries that
    mmengine's Runner calls a class with directly, so that no registry
    error names them; the other class is the train loop of the other
    ``by_epoch`` (whose arguments a user may have meant)."""
    from mmengine.runner import (EpochBasedTrainLoop, IterBasedTrainLoop,
                                 TestLoop, ValLoop)
    from torch.utils.data import DataLoader

    # Runner.build_dataloader reads these two itself
    loader_extras = ['num_batch_per_epoch', 'disable_subprocess_warning']
    for loader in LOADERS:
        yield loader, DataLoader, loader_extras, None
    train = cfg.get('train_cfg')
    if isinstance(train, dict) and 'by_epoch' in train:
        loops = [IterBasedTrainLoop, EpochBasedTrainLoop]
        if train['by_epoch']:
            loops.reverse()
        yield 'train_cfg', loops[0], ['by_epoch'], loops[1]
    yield 'val_cfg', ValLoop, [], None
    yield 'test_cfg', TestLoop, [], None


def _unknown_arguments(cfg: Config) -> None:
    """Refuse a key of a data loader, or of a loop given without ``type``,
    that its class does not take: ``--cfg-options
    train_dataloader.batch_sise=4`` would otherwise end in a traceback
    once the runner builds it (a ``type`` entry is the registry's to
    check)."""
    for field, kind, extras, other in _runner_built(cfg):
        entry = cfg.get(field)
        takes = config_arguments(kind, RUNNER_GIVES)
        if not isinstance(entry, dict) or 'type' in entry or not takes:
            continue  # a type checked on its own, or a class taking any
        takes += extras
        theirs = [arg for arg in config_arguments(other, RUNNER_GIVES)
                  if arg not in takes] if other else []
        for key in entry:
            if key in takes or key.startswith('_'):
                continue
            close = difflib.get_close_matches(key, takes + theirs, n=1)
            if close and close[0] in theirs:
                hint = (f'`{close[0]}` is an argument of {other.__name__}, '
                        f'the loop of by_epoch={not entry["by_epoch"]}; '
                        f'this one takes {", ".join(takes)}')
            else:
                hint = argument_hint(key, takes)
            raise ConfigError(f'{field}.{key}: not an argument of '
                              f'{kind.__name__}; {hint}')


def _unknown_loop_arguments(cfg: Config) -> None:
    """Refuse a key of a loop given with its ``type`` (``RecastLoop``)
    that the loop does not take: the Runner builds its loops after it
    made the work dir, and ``train_cfg.max_iters`` on a recast loop ended
    there."""
    from mmrecast.registry import LOOPS
    for field in ('train_cfg', 'val_cfg', 'test_cfg'):
        entry = cfg.get(field)
        kind = isinstance(entry, dict) and registered_class(
            LOOPS, entry, cfg.get('default_scope'))
        if kind:
            _refuse_unknown(field, entry, kind,
                            config_arguments(kind, RUNNER_GIVES))


def _unknown_hook_arguments(cfg: Config) -> None:
    """Refuse a key of a default or custom hook that its class does not
    take, before the Runner (which builds hooks after making the work
    dir). ``CheckpointHook`` takes ``**kwargs`` for
    ``Runner.save_checkpoint``, which the hook already passes every
    argument it has: ``default_hooks.checkpoint.intervl`` ended the run
    at its first checkpoint, in a traceback, its training lost."""
    from mmengine.hooks import CheckpointHook

    from mmrecast.registry import HOOKS
    defaults = cfg.get('default_hooks') or {}
    entries = [(f'default_hooks.{name}', entry)
               for name, entry in defaults.items()]
    entries += [(f'custom_hooks.{i}', entry)
                for i, entry in enumerate(cfg.get('custom_hooks') or [])]
    for path, entry in entries:
        kind = isinstance(entry, dict) and registered_class(
            HOOKS, entry, cfg.get('default_scope'))
        if not kind:
            continue
        takes = config_arguments(kind)
        if not takes and issubclass(kind, CheckpointHook):
            takes = config_arguments(kind, keywords=False)
        _refuse_unknown(path, entry, kind, takes)


#: the ``env_cfg`` keys that mmengine's ``Runner.setup_env`` reads; it
#: ignores any other
ENV_CFG_KEYS = ('cudnn_benchmark', 'mp_cfg', 'dist_cfg', 'resource_limit')


def _unknown_runner_arguments(cfg: Config) -> None:
    """Refuse a key of the log processor, visualizer or ``randomness``
    that they do not take, and an ``env_cfg`` key the Runner does not
    read: the first three were a ``TypeError`` traceback from inside the
    Runner, after it made the work dir; the last was ignored."""
    from mmengine.runner import LogProcessor, Runner

    from mmrecast.registry import LOG_PROCESSORS, VISUALIZERS
    for field, registry, default in (
            ('log_processor', LOG_PROCESSORS, LogProcessor),
            ('visualizer', VISUALIZERS, None)):
        entry = cfg.get(field)
        if not isinstance(entry, dict):
            continue
        kind = registered_class(registry, entry, cfg.get(
            'default_scope')) if 'type' in entry else default
        if kind:
            _refuse_unknown(field, entry, kind, config_arguments(kind))
    randomness = cfg.get('randomness')
    if isinstance(randomness, dict):
        _refuse_unknown('randomness', randomness, Runner.set_randomness,
                        config_arguments(Runner.set_randomness, {'self'}))
    env = cfg.get('env_cfg')
    for key in env if isinstance(env, dict) else ():
        if key not in ENV_CFG_KEYS:
            raise ConfigError(f'env_cfg.{key}: not a setting the Runner '
                              f'reads (it ignores it); '
                              f'{argument_hint(key, list(ENV_CFG_KEYS))}')


def _unknown_collate_arguments(cfg: Config) -> None:
    """Refuse a data loader's ``collate_fn`` whose function is not
    registered, or a key it does not take: the Runner binds them with
    ``functools.partial``, so either would end in a traceback from a
    loader worker at the first batch."""
    from mmengine.registry import FUNCTIONS as ROOT_FUNCTIONS

    from mmrecast.registry import FUNCTIONS
    for field in LOADERS:
        loader = cfg.get(field)
        entry = loader.get('collate_fn') if isinstance(loader, dict) else None
        if not isinstance(entry, dict) or not isinstance(
                entry.get('type'), str):
            continue
        path = f'{field}.collate_fn'
        # as the Runner looks it up (mmrecast's need their scope's prefix)
        function = ROOT_FUNCTIONS.get(entry['type'])
        if function is None:
            FUNCTIONS.import_from_location()  # registers mmrecast's own
            names = [f'{FUNCTIONS.scope}.{name}'
                     for name in FUNCTIONS.module_dict
                     ] + list(ROOT_FUNCTIONS.module_dict)
            raise ConfigError(f'{path}.type={entry["type"]!r}: not a '
                              'registered function; '
                              f'{argument_hint(entry["type"], names)}')
        if not inspect.isfunction(function):
            continue  # a callable class: its builder tells
        params = list(inspect.signature(function).parameters.values())
        if not params or any(p.kind is p.VAR_KEYWORD for p in params):
            continue
        takes = config_arguments(function, {params[0].name})
        for key in entry:
            if key not in takes and key not in ('type', '_scope_'):
                hint = argument_hint(key, takes) if takes else \
                    'it takes only the batch'
                raise ConfigError(f'{path}.{key}: not an argument of '
                                  f'{function.__name__}; {hint}')


def _scheduler_arguments(kind: type) -> List[str]:
    """The arguments a config entry of the parameter scheduler ``kind`` can
    set, or [] when that is unknown. mmengine's LR and momentum schedulers
    are mixins whose ``__init__(optimizer, *args, **kwargs)`` hands every
    argument on, after the ``param_name`` it sets itself, so the arguments
    are those of the first ``__init__`` up the class's MRO that takes no
    ``**kwargs``, less ``param_name`` when a mixin came before it."""
    given = {'self', 'optimizer'}
    for cls in kind.__mro__:
        if '__init__' not in vars(cls):
            continue
        takes = config_arguments(cls.__init__, given)
        if takes:
            # the scheduler builder reads this one (epoch -> iteration)
            return takes + ['convert_to_iter_based']
        params = inspect.signature(cls.__init__).parameters.values()
        if not any(p.kind is p.VAR_POSITIONAL for p in params):
            return []  # takes **kwargs for itself
        given.add('param_name')  # a mixin: LR, momentum
    return []


def _unknown_scheduler_arguments(cfg: Config) -> None:
    """Refuse a key of a ``param_scheduler`` entry that its scheduler does
    not take, and a list index given to a single scheduler (what
    ``--cfg-options param_scheduler.0.end=...`` makes of a dict), before
    the optimizer is built: mmengine builds schedulers after the model and
    data, so a typo would cost their start-up and end in a traceback."""
    from mmrecast.registry import PARAM_SCHEDULERS
    entries = cfg.get('param_scheduler')
    if isinstance(entries, dict):
        index = next((key for key in entries if str(key).isdigit()), None)
        if index is not None:
            raise ConfigError(
                f'param_scheduler.{index}: param_scheduler is one scheduler '
                f'here ({entries.get("type")}), not a list; set its fields '
                'as param_scheduler.<field>')
    for path, entry in scheduler_entries(cfg):
        kind = isinstance(entry, dict) and registered_class(
            PARAM_SCHEDULERS, entry, cfg.get('default_scope'))
        takes = _scheduler_arguments(kind) if kind else []
        _refuse_unknown(path, entry, kind, takes)


def _refuse_unknown(path: str, entry: dict, kind, takes: List[str]) -> None:
    """Refuse a key of the config ``entry`` at ``path`` (built as
    ``kind``) that is not in ``takes``; no check when ``takes`` is empty
    (unknown here: its builder will tell)."""
    for key in entry:
        if takes and key not in takes and key not in ('type', '_scope_'):
            raise ConfigError(f'{path}.{key}: not an argument of '
                              f'{kind.__name__}; {argument_hint(key, takes)}')


def _unknown_model_arguments(cfg: Config) -> None:
    """Refuse a key of ``model`` that its class does not take, before the
    runner is built. A class taking ``**kwargs`` can name its fields with a
    ``config_fields()`` class method (:class:`RecastFinetune` does)."""
    from mmrecast.registry import MODELS
    model = cfg.get('model')
    kind = isinstance(model, dict) and registered_class(
        MODELS, model, cfg.get('default_scope'))
    if not kind:
        return
    fields = getattr(kind, 'config_fields', None)
    _refuse_unknown('model', model, kind,
                    fields() if fields else config_arguments(kind))


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


def _recaster_configs(value, path: str) -> Iterator[Tuple[str, Any]]:
    """``(path, config)`` of every recaster config in a model config: the
    values of ``recaster`` keys and the items of ``recasters`` lists (a
    config that is no dict too, for the check to refuse)."""
    if isinstance(value, dict):
        for key, item in value.items():
            where = f'{path}.{key}'
            if key == 'recaster':
                yield where, item
            elif key == 'recasters' and isinstance(item, (list, tuple)):
                yield from ((f'{where}[{i}]', r) for i, r in enumerate(item))
            else:
                yield from _recaster_configs(item, where)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _recaster_configs(item, f'{path}[{i}]')


def _registered_recasters(cfg: Config) -> None:
    """Refuse a recaster type that is not registered, before the runner
    writes its work dir; the plan would refuse it only when built."""
    from mmrecast.registry import RECASTERS
    for path, recaster in _recaster_configs(cfg.get('model'), 'model'):
        if not isinstance(recaster, dict):
            # --cfg-options reads a list item dict(...) as a string
            option = re.sub(r'\[(\d+)\]', r'.\1', path)
            raise ConfigError(
                f'{path}={recaster!r}: a recaster is a dict, e.g. '
                "dict(type='BasicBlockToConv'); on the command line set its "
                f'fields one by one ({option}.type=...)')
        kind = recaster.get('type')
        if not isinstance(kind, str) or RECASTERS.get(kind) is not None:
            continue
        raise ConfigError(
            f'{path}.type={kind!r}: not a registered recaster; '
            f'{closest_hint(kind, RECASTERS.module_dict)}check '
            'the spelling and custom_imports (a recaster of your own is '
            'registered in RECASTERS when its module is imported)')


def check_fields(cfg: Config) -> None:
    """Refuse a misspelt top-level field or ``search_cfg`` key, a model,
    data loader, hook, collate function, loop, parameter scheduler, log
    processor, visualizer or ``randomness`` argument that it does not take,
    an ``env_cfg`` key that the Runner does not read, and a recaster that
    is not registered; warn (on stderr, rank 0) of a top-level variable
    that nothing reads."""
    _misspelt(cfg.keys())
    _search_fields(cfg)
    _unknown_arguments(cfg)
    _unknown_loop_arguments(cfg)
    _unknown_hook_arguments(cfg)
    _unknown_runner_arguments(cfg)
    _unknown_collate_arguments(cfg)
    _unknown_scheduler_arguments(cfg)
    _unknown_model_arguments(cfg)
    _registered_recasters(cfg)
    for name, line in unused_variables(cfg.filename or ''):
        print_warning(f'{cfg.filename}:{line}: {name} is not a config field '
                      'and nothing in the file reads it (its _base_ files '
                      'cannot); a misspelt field?')
