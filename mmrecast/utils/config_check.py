# Copyright (c) mmrecast contributors. All rights reserved.
"""Checks of a run config before anything is built, in one line each."""
import ast
import builtins
import difflib
import inspect
import os
import os.path as osp
import re
from typing import Any, Iterable, Iterator, List, Optional, Tuple

from mmengine.config import Config

from .errors import ConfigError, argument_hint, config_arguments, print_warning

__all__ = [
    'check_config', 'check_input_files', 'check_optim_wrapper',
    'check_run_config', 'registered_class', 'unused_variables', 'RUN_FIELDS'
]

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
    for split in ('train', 'val', 'test', 'search'):
        yield f'{split}_dataloader', DataLoader, loader_extras, None
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
    given = {'self', 'runner', 'dataloader', 'evaluator'}
    for field, kind, extras, other in _runner_built(cfg):
        entry = cfg.get(field)
        takes = config_arguments(kind, given)
        if not isinstance(entry, dict) or 'type' in entry or not takes:
            continue  # a type the registry checks, or a class taking any
        takes += extras
        theirs = [arg for arg in config_arguments(other, given)
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


def _unknown_collate_arguments(cfg: Config) -> None:
    """Refuse a data loader's ``collate_fn`` whose function is not
    registered, or a key it does not take: the Runner binds them with
    ``functools.partial``, so either would end in a traceback from a
    loader worker at the first batch."""
    from mmengine.registry import FUNCTIONS as ROOT_FUNCTIONS

    from mmrecast.registry import FUNCTIONS
    for split in ('train', 'val', 'test', 'search'):
        loader = cfg.get(f'{split}_dataloader')
        entry = loader.get('collate_fn') if isinstance(loader, dict) else None
        if not isinstance(entry, dict) or not isinstance(
                entry.get('type'), str):
            continue
        path = f'{split}_dataloader.collate_fn'
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
        paths = [('param_scheduler', entries)]
    elif isinstance(entries, (list, tuple)):
        paths = [(f'param_scheduler.{i}', e) for i, e in enumerate(entries)]
    else:
        return
    for path, entry in paths:
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


def _endless_sampler(cfg: Config) -> None:
    """Refuse a data loader that never ends an epoch where a loop waits
    for one: mmengine's ``InfiniteSampler`` (iteration-based training only)
    under an epoch-based train loop, or to validate, test or search, would
    run until killed, with nothing in the log to say why."""
    from mmengine.dataset import InfiniteSampler
    from mmengine.runner import EpochBasedTrainLoop

    from mmrecast.registry import DATA_SAMPLERS, LOOPS
    scope = cfg.get('default_scope')
    train = cfg.get('train_cfg')
    if isinstance(train, dict) and 'type' in train:
        loop = registered_class(LOOPS, train, scope)
        by_epoch = loop is not None and issubclass(loop, EpochBasedTrainLoop)
    else:
        by_epoch = isinstance(train, dict) and bool(train.get('by_epoch'))
    for split in ('train', 'val', 'test', 'search'):
        sampler = _get(cfg, f'{split}_dataloader.sampler')
        kind = isinstance(sampler, dict) and registered_class(
            DATA_SAMPLERS, sampler, scope)
        if not kind or not issubclass(kind, InfiniteSampler):
            continue
        if split != 'train':
            raise ConfigError(f'{split}_dataloader.sampler: {kind.__name__} '
                              'never ends, so neither would the pass over '
                              'it; use DefaultSampler with shuffle=False')
        if by_epoch:
            raise ConfigError(
                f'train_dataloader.sampler: {kind.__name__} never ends an '
                'epoch, and the train loop is epoch-based; use '
                'DefaultSampler, or an iteration-based loop '
                '(train_cfg.by_epoch=False)')


def _name(kind) -> str:
    """A registered function's bare name, given as a name or an object."""
    return getattr(kind, '__name__', str(kind)).rsplit('.', 1)[-1]


def _collate_padding(collate: dict) -> int:
    """``crop_flip_collate``'s padding in its config (its default if not
    given)."""
    from mmrecast.datasets import crop_flip_collate
    default = inspect.signature(crop_flip_collate).parameters['padding']
    return collate.get('padding', default.default)


def _cached_views_are_fixed(cfg: Config) -> None:
    """Refuse ``model.cache_teacher_logits`` with a train loader whose views
    change from epoch to epoch (every random crop a new one), before the
    teacher is loaded; a cache of them would only grow."""
    if not _get(cfg, 'model.cache_teacher_logits'):
        return
    collate = _get(cfg, 'train_dataloader.collate_fn')
    kind = collate.get('type') if isinstance(collate, dict) else None
    if _name(kind) != 'crop_flip_collate' or (
            _collate_padding(collate) != 0 and collate.get('shifts') is None):
        raise ConfigError(
            'model.cache_teacher_logits=True reuses each view\'s logits, so '
            'every epoch must draw the same views: set train_dataloader.'
            "collate_fn=dict(type='mmrecast.crop_flip_collate', padding=0) "
            '(flips only) or a few shifts=[(ROWS, COLUMNS), ...], or '
            'cache_teacher_logits=False')


def _crop_shifts(cfg: Config) -> None:
    """Refuse ``crop_flip_collate``'s ``shifts`` outside its padding."""
    from mmrecast.datasets.crop_flip_collate import check_shifts
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        collate = _get(cfg, f'{loader}.collate_fn')
        if not isinstance(collate, dict) or collate.get('shifts') is None \
                or _name(collate.get('type')) != 'crop_flip_collate':
            continue
        try:
            check_shifts(collate['shifts'], _collate_padding(collate))
        except ValueError as error:
            raise ConfigError(f'{loader}.collate_fn.{error}') from None


def _accuracy_topk(cfg: Config) -> None:
    """Refuse an ``Accuracy`` metric's ``topk`` below 1: mmpretrain
    reports such a ``top0`` as 0 % at every evaluation instead of failing."""
    for split in ('val', 'test'):
        for path, metric in _entries(cfg.get(f'{split}_evaluator'),
                                     f'{split}_evaluator', 'type'):
            topk = metric.get('topk')
            if _name(metric['type']) != 'Accuracy' or topk is None:
                continue
            ks = topk if isinstance(topk, (list, tuple)) else [topk]
            if any(isinstance(k, bool) or not isinstance(k, int) or k < 1
                   for k in ks):
                raise ConfigError(f'{path}.topk={topk!r}: give whole numbers '
                                  'of at least 1, e.g. topk=(1, 5)')


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
            f'{_closest(kind, RECASTERS.module_dict)}check '
            'the spelling and custom_imports (a recaster of your own is '
            'registered in RECASTERS when its module is imported)')


def _normalization(cfg: Config) -> None:
    """Refuse a preprocessor ``mean`` and ``std`` that are not given
    together, one number per input channel each: mmpretrain builds them
    apart and fails at the first batch (a tensor size mismatch) or with an
    assertion that names neither."""
    for path in ('data_preprocessor', 'model.data_preprocessor'):
        entry = _get(cfg, path)
        if not isinstance(entry, dict):
            continue
        mean, std = entry.get('mean'), entry.get('std')
        if mean is None and std is None:
            continue
        sizes = [len(v) if isinstance(v, (list, tuple)) else None
                 for v in (mean, std)]
        if None in sizes or sizes[0] != sizes[1]:
            raise ConfigError(
                f'{path}: mean={mean!r} and std={std!r}; give both, one '
                'number per input channel each (3 for RGB images)')


def _deadline_in_one_stage(cfg: Config) -> None:
    """Refuse a deadline (``train.py --deadline``) on a sequential recast
    before its teacher is loaded; ``DeadlineHook`` itself refuses it only
    when training starts."""
    hooks = [h for h in cfg.get('custom_hooks') or [] if isinstance(h, dict)]
    if not any(_name(h.get('type')) == 'DeadlineHook' for h in hooks):
        return
    if _name(_get(cfg, 'model.type')) == 'BlockRecast' and \
            _get(cfg, 'model.mode') in (None, 'sequential'):
        raise ConfigError(
            "DeadlineHook (train.py --deadline): model.mode='sequential' "
            'recasts one block per stage, and stages sized alike cannot end '
            "early; drop --deadline, or recast in one stage (model.mode="
            "'parallel' or 'chained')")


def check_config(cfg: Config) -> None:
    """Refuse what would fail (or silently do nothing) much later: a
    misspelt top-level field or ``search_cfg`` key, a model, data loader,
    collate function, loop or parameter scheduler argument that it does
    not take, a count that is not a positive integer, a negative number
    of loader workers, persistent workers without workers, a sampler that
    never ends where a loop waits for an end, a recaster that is not
    registered, crop shifts outside their padding, an accuracy of no
    top-k, a teacher logit cache over views that change every epoch, a
    deadline on a recast of several stages, a preprocessor mean and std of
    different lengths, a checkpoint interval that saves none before the
    end by mistake; warn (on stderr, rank 0) of a top-level variable that
    nothing reads."""
    _misspelt(cfg.keys())
    _search_fields(cfg)
    _unknown_arguments(cfg)
    _unknown_collate_arguments(cfg)
    _unknown_scheduler_arguments(cfg)
    _unknown_model_arguments(cfg)
    _endless_sampler(cfg)
    _registered_recasters(cfg)
    _crop_shifts(cfg)
    _accuracy_topk(cfg)
    _cached_views_are_fixed(cfg)
    _deadline_in_one_stage(cfg)
    _normalization(cfg)
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
    for split in ('train', 'val', 'test', 'search'):
        workers = _get(cfg, f'{split}_dataloader.num_workers')
        if workers is not None and (isinstance(workers, bool) or not
                                    isinstance(workers, int) or workers < 0):
            raise ConfigError(f'{split}_dataloader.num_workers={workers!r}: '
                              'the number of loader processes must be an '
                              'integer >= 0 (0 loads in the main process)')
    for split in ('train', 'val', 'test'):
        loader = cfg.get(f'{split}_dataloader')
        if isinstance(loader, dict) and loader.get('persistent_workers') \
                and not loader.get('num_workers'):
            # torch's own error comes only when the loader is built
            raise ConfigError(
                f'{split}_dataloader.persistent_workers=True keeps worker '
                'processes, but num_workers is 0: with num_workers=0 also '
                f'set {split}_dataloader.persistent_workers=False')
    per_stage = _get(cfg, 'train_cfg.epochs_per_stage')
    if per_stage is not None and (isinstance(per_stage, bool)
                                  or not isinstance(per_stage, (int, float))
                                  or per_stage <= 0):
        raise ConfigError(f'train_cfg.epochs_per_stage={per_stage!r}: must '
                          'be a positive number')
    every = _get(cfg, 'default_hooks.checkpoint.interval')
    if every is not None and (isinstance(every, bool)
                              or not isinstance(every, int) or every == 0
                              or every < -1):
        # mmengine saves no checkpoint before the last for any value < 1
        raise ConfigError(
            f'default_hooks.checkpoint.interval={every!r}: give the '
            'iterations (or epochs) between checkpoints, a positive integer, '
            'or -1 for the last one only (a crash then loses the run)')


def _entries(value, path: str, key: str) -> Iterator[Tuple[str, dict]]:
    """``(path, dict)`` of every dict under ``value`` that sets ``key``."""
    if isinstance(value, dict):
        if isinstance(value.get(key), str):
            yield path, value
        for name, item in value.items():
            yield from _entries(item, f'{path}.{name}', key)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _entries(item, f'{path}.{i}', key)


def registered_class(registry, entry: dict, scope) -> Optional[type]:
    """The class that the config ``entry`` of ``registry`` builds (its own
    ``_scope_`` first, then the config's ``default_scope``), or None when
    it is not found here: its builder will name it."""
    kind, scope = entry.get('type'), entry.get('_scope_') or scope
    if isinstance(kind, str):
        kind = (scope and '.' not in kind and registry.get(
            f'{scope}.{kind}')) or registry.get(kind)
    return kind if inspect.isclass(kind) else None


def _reads_folder(dataset: dict, scope) -> bool:
    """Whether the data set (a registered type) reads ``data_root`` as it
    is, rather than downloading into it (mmpretrain's CIFAR10, MNIST)."""
    from mmrecast.registry import DATASETS
    kind = registered_class(DATASETS, dataset, scope)
    if kind is None:
        return False  # unknown here: the data set itself will tell
    download = inspect.signature(kind).parameters.get('download')
    return not dataset.get(
        'download', download.default if download is not None else False)


def check_input_files(cfg: Config, init_from: bool = True) -> None:
    """Refuse, in one line, an input a training run needs that is not
    there: a ``teacher_checkpoint`` of the model, the checkpoints of its
    ``init_from`` (unless ``init_from`` is False: a stage whose
    predecessor has not run yet), ``load_from``, a ``data_root`` of the
    training data (unless its data set downloads).

    Without this a run learns it only once its runner, data and model are
    built (and its work dir made), and a tool that launches several runs
    (a budget's warm-ups) only after the first of them. Remote files
    (``scheme://``) are left to their loaders.
    """
    from .weights import existing_checkpoint
    files = [(f'{path}.teacher_checkpoint', entry['teacher_checkpoint'])
             for path, entry in _entries(cfg.get('model'), 'model',
                                         'teacher_checkpoint')]
    model = cfg.get('model')
    handed = model.get('init_from') if init_from and isinstance(
        model, dict) else None
    for i, entry in enumerate(handed if isinstance(handed, list) else []):
        if isinstance(entry, dict) and isinstance(entry.get('checkpoint'),
                                                  str):
            files.append((f'model.init_from.{i}.checkpoint',
                          entry['checkpoint']))
    if isinstance(cfg.get('load_from'), str):
        files.append(('load_from', cfg.load_from))
    for field, file in files:
        if '://' not in file:
            existing_checkpoint(osp.expanduser(file), field)
    for path, dataset in _entries(_get(cfg, 'train_dataloader.dataset'),
                                  'train_dataloader.dataset', 'data_root'):
        root = dataset['data_root']
        if _reads_folder(dataset, cfg.get('default_scope')) \
                and '://' not in root and not osp.isdir(osp.expanduser(root)):
            raise ConfigError(f'{path}.data_root={root!r}: no such folder; '
                              'check the path (or link data/, see the '
                              'README)')


def check_optim_wrapper(cfg: Config) -> None:
    """Refuse, in one line, an ``optim_wrapper`` that cannot train here:
    an optimizer type that is not registered, mmengine's
    ``AmpOptimWrapper`` (``--amp``) on a machine without a CUDA GPU
    (mmengine would stop with an assertion once the runner is built),
    an ``AutocastOptimWrapper`` dtype other than bfloat16, and a negative
    (or non-numeric) learning rate, weight decay or momentum, which torch
    refuses only when the optimizer is built.

    Training tools call it after :func:`check_config`, before a run
    (or a budget's first warm-up) starts; test tools never build the
    wrapper, so a config trained with ``--amp`` still evaluates on a CPU.
    """
    import torch
    from mmengine.optim import AmpOptimWrapper

    from mmrecast.engine import AutocastOptimWrapper
    from mmrecast.registry import OPTIM_WRAPPERS
    entry = cfg.get('optim_wrapper')
    if not isinstance(entry, dict):
        return
    optimizer = entry.get('optimizer')
    if isinstance(optimizer, dict):
        _registered_optimizer(optimizer, cfg.get('default_scope'))
    for key in ('lr', 'weight_decay', 'momentum'):
        value = optimizer.get(key) if isinstance(optimizer, dict) else None
        if value is not None and (isinstance(value, bool) or not isinstance(
                value, (int, float)) or value < 0):
            raise ConfigError(f'optim_wrapper.optimizer.{key}={value!r}: '
                              'must be a number >= 0')
    kind = entry.get('type', 'OptimWrapper')
    if isinstance(kind, str):
        kind = OPTIM_WRAPPERS.get(kind)  # None: the registry will name it
    if not inspect.isclass(kind):
        return
    if issubclass(kind, AmpOptimWrapper) and not torch.cuda.is_available():
        raise ConfigError(
            f'optim_wrapper.type={kind.__name__} (--amp) needs a CUDA GPU '
            'and this machine has none; drop --amp to train in fp32 on the '
            "CPU, or set optim_wrapper.type='AutocastOptimWrapper' for "
            'bfloat16')
    if issubclass(kind, AutocastOptimWrapper) and 'dtype' in entry:
        kind.check_dtype(entry['dtype'])


def _registered_optimizer(optimizer: dict, scope) -> None:
    """Refuse an optimizer type that the runner's registry would not find
    (mmengine then fails with ``None is not a callable object``)."""
    from mmrecast.registry import OPTIMIZERS
    kind = optimizer.get('type')
    if not isinstance(kind, str) or registered_class(OPTIMIZERS, optimizer,
                                                     scope):
        return
    names, registry = set(), OPTIMIZERS
    while registry is not None:  # ours, then mmengine's (torch's optimizers)
        names |= set(registry.module_dict)
        registry = registry.parent
    raise ConfigError(f'optim_wrapper.optimizer.type={kind!r}: not a '
                      f'registered optimizer; {_closest(kind, names)}check '
                      "the spelling and its scope (e.g. 'mmpretrain.Lamb')")


def _closest(kind: str, names: Iterable[str]) -> str:
    """``did you mean 'Name'? `` for the registered name closest to
    ``kind`` (its scope left out), or '' when none is close."""
    close = difflib.get_close_matches(kind.rsplit('.', 1)[-1], list(names),
                                      n=1)
    return f'did you mean {close[0]!r}? ' if close else ''


def check_run_config(cfg: Config, init_from: bool = True) -> None:
    """Every check a training run's config gets before anything is built:
    :func:`check_config`, :func:`check_optim_wrapper` and
    :func:`check_input_files` (given ``init_from``), in that order."""
    check_config(cfg)
    check_optim_wrapper(cfg)
    check_input_files(cfg, init_from)
