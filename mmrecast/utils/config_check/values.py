# Copyright (c) mmrecast contributors. All rights reserved.
"""Checks that a config's values can work: positive counts, samplers
that end where a loop waits for an end, crop shifts inside their padding,
a teacher logit cache over fixed views, and more."""
import inspect
from typing import Optional

from mmengine.config import Config

from ..errors import ConfigError, print_warning
from .lookup import (LOADERS, entries_setting, get_field, is_number, is_whole,
                     registered_class, scheduler_entries)

__all__ = ['LAUNCHERS', 'check_values', 'warn_epoch_log']

# (path, what) of counts that must be positive integers when given
_COUNTS = (('train_cfg.iters_per_stage', 'iterations per stage'),
           ('train_cfg.max_iters', 'iterations'),
           ('train_cfg.max_epochs', 'epochs'),
           ('train_cfg.val_interval', 'iterations between validations'),
           ('train_dataloader.batch_size', 'images per batch'),
           ('val_dataloader.batch_size', 'images per batch'),
           ('test_dataloader.batch_size', 'images per batch'))


def _train_by_epoch(cfg: Config) -> Optional[bool]:
    """Whether the train loop counts epochs (True) or iterations (False),
    as mmengine's Runner builds it; None for no train loop, or a loop
    type not found here."""
    from mmengine.runner import EpochBasedTrainLoop, IterBasedTrainLoop

    from mmrecast.registry import LOOPS
    train = cfg.get('train_cfg')
    if not isinstance(train, dict):
        return None
    if 'type' not in train:
        return bool(train['by_epoch']) if 'by_epoch' in train else None
    loop = registered_class(LOOPS, train, cfg.get('default_scope'))
    for kind, by_epoch in ((EpochBasedTrainLoop, True),
                           (IterBasedTrainLoop, False)):
        if loop is not None and issubclass(loop, kind):
            return by_epoch
    return None


def _endless_sampler(cfg: Config, by_epoch: Optional[bool]) -> None:
    """Refuse a data loader that never ends an epoch where a loop waits
    for one: mmengine's ``InfiniteSampler`` (iteration-based training only)
    under an epoch-based train loop, or to validate, test or search, would
    run until killed, with nothing in the log to say why."""
    from mmengine.dataset import InfiniteSampler

    from mmrecast.registry import DATA_SAMPLERS
    scope = cfg.get('default_scope')
    for loader in LOADERS:
        sampler = get_field(cfg, f'{loader}.sampler')
        kind = isinstance(sampler, dict) and registered_class(
            DATA_SAMPLERS, sampler, scope)
        if not kind or not issubclass(kind, InfiniteSampler):
            continue
        if loader != 'train_dataloader':
            raise ConfigError(f'{loader}.sampler: {kind.__name__} '
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
    if not get_field(cfg, 'model.cache_teacher_logits'):
        return
    collate = get_field(cfg, 'train_dataloader.collate_fn')
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
        collate = get_field(cfg, f'{loader}.collate_fn')
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
        for path, metric in entries_setting(
                cfg.get(f'{split}_evaluator'), f'{split}_evaluator', 'type'):
            topk = metric.get('topk')
            if _name(metric['type']) != 'Accuracy' or topk is None:
                continue
            ks = topk if isinstance(topk, (list, tuple)) else [topk]
            if any(not is_whole(k) or k < 1 for k in ks):
                raise ConfigError(f'{path}.topk={topk!r}: give whole numbers '
                                  'of at least 1, e.g. topk=(1, 5)')


def _normalization(cfg: Config) -> None:
    """Refuse a preprocessor ``mean`` and ``std`` that are not given
    together, one number per input channel each: mmpretrain builds them
    apart and fails at the first batch (a tensor size mismatch) or with an
    assertion that names neither."""
    for path in ('data_preprocessor', 'model.data_preprocessor'):
        entry = get_field(cfg, path)
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
    if _name(get_field(cfg, 'model.type')) == 'BlockRecast' and \
            get_field(cfg, 'model.mode') in (None, 'sequential'):
        raise ConfigError(
            "DeadlineHook (train.py --deadline): model.mode='sequential' "
            'recasts one block per stage, and stages sized alike cannot end '
            "early; drop --deadline, or recast in one stage (model.mode="
            "'parallel' or 'chained')")


def _counts(cfg: Config) -> None:
    """Refuse a count that is not a positive integer (iterations, epochs,
    batch sizes) and epochs per stage that are not a positive number."""
    for path, what in _COUNTS:
        value = get_field(cfg, path)
        if value is None:
            continue
        if not is_whole(value) or value < 1:
            raise ConfigError(f'{path}={value!r}: the number of {what} must '
                              f'be a positive integer')
    per_stage = get_field(cfg, 'train_cfg.epochs_per_stage')
    if per_stage is not None and (not is_number(per_stage)
                                  or per_stage <= 0):
        raise ConfigError(f'train_cfg.epochs_per_stage={per_stage!r}: must '
                          'be a positive number')


# a data loader's switches and its sampler's: Python takes any non-empty
# string as true, so shuffle='no' shuffled without a word
_LOADER_FLAGS = ('shuffle', 'drop_last', 'pin_memory', 'persistent_workers',
                 'sampler.shuffle', 'sampler.round_up')


def _loader_flags(cfg: Config) -> None:
    """Refuse a data loader or sampler switch given as a string."""
    for loader in LOADERS:
        for flag in _LOADER_FLAGS:
            path = f'{loader}.{flag}'
            value = get_field(cfg, path)
            if isinstance(value, str):
                raise ConfigError(f'{path}={value!r}: give True or False '
                                  '(any string counts as True)')


def _loss_weights(cfg: Config) -> None:
    """Refuse a loss weight given as a string: it failed only at the first
    loss, in a traceback."""
    found = next(entries_setting(cfg.get('model'), 'model', 'loss_weight'),
                 None)
    if found:
        path, entry = found
        raise ConfigError(f'{path}.loss_weight={entry["loss_weight"]!r}: '
                          'must be a number')


def _loader_workers(cfg: Config) -> None:
    """Refuse a negative number of loader workers, and persistent workers
    without workers."""
    for loader in LOADERS:
        workers = get_field(cfg, f'{loader}.num_workers')
        if workers is not None and (not is_whole(workers) or workers < 0):
            raise ConfigError(f'{loader}.num_workers={workers!r}: '
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


def _epoch_setting(path: str, entry: dict) -> str:
    """``path.by_epoch=...`` as ``entry`` has it, or as mmengine's default
    when it has none."""
    if 'by_epoch' in entry:
        return f'{path}.by_epoch={entry["by_epoch"]!r}'
    return f"{path}.by_epoch=True (mmengine's default)"


def _checkpoint_interval(cfg: Config, by_epoch: Optional[bool]) -> None:
    """Refuse checkpoints that would, by mistake, not be saved before the
    end: an interval below 1 other than -1 (mmengine saves none before the
    last for any of them), or one counted in epochs when the train loop
    counts iterations (it runs no epoch end before the last)."""
    every = get_field(cfg, 'default_hooks.checkpoint.interval')
    if every is not None and (not is_whole(every) or every == 0
                              or every < -1):
        raise ConfigError(
            f'default_hooks.checkpoint.interval={every!r}: give the '
            'iterations (or epochs) between checkpoints, a positive integer, '
            'or -1 for the last one only (a crash then loses the run)')
    hook = get_field(cfg, 'default_hooks.checkpoint')
    if isinstance(hook, dict) and hook.get('by_epoch', True) \
            and every != -1 and by_epoch is False:
        raise ConfigError(
            f'{_epoch_setting("default_hooks.checkpoint", hook)} and the '
            'train loop counts iterations: it would save only when '
            'training ends, and a crash would lose the run; set '
            'default_hooks.checkpoint.by_epoch=False (its interval then '
            'counts iterations)')


def _schedulers_step(cfg: Config, by_epoch: Optional[bool]) -> None:
    """Refuse a scheduler that steps at epoch ends (``by_epoch=True``,
    mmengine's default, not converted) under a train loop that counts
    iterations: the loop runs no epoch end before the last, so what the
    scheduler sets would never change, without a word."""
    if by_epoch is not False:
        return
    for path, entry in scheduler_entries(cfg):
        if isinstance(entry, dict) and entry.get('by_epoch', True) \
                and not entry.get('convert_to_iter_based'):
            raise ConfigError(
                f'{_epoch_setting(path, entry)} and the train loop counts '
                f'iterations: its {entry.get("type")} would '
                'step only when training ends, so the learning rate (or '
                'momentum) it sets would never change; set '
                f'{path}.by_epoch=False (its lengths then count '
                'iterations), or convert_to_iter_based=True to give them in '
                'epochs')


def warn_epoch_log(cfg: Config) -> None:
    """Warn of a log that counts epochs (``log_processor.by_epoch=True``,
    mmengine's default) under a train loop of iterations: nothing is lost,
    but every line would read as a batch of epoch 1, past the epoch's end
    too (``Epoch(train) [1][7000/6250]``)."""
    processor = cfg.get('log_processor')
    processor = processor if isinstance(processor, dict) else {}
    if _train_by_epoch(cfg) is False and processor.get('by_epoch', True):
        print_warning(
            f'{_epoch_setting("log_processor", processor)} and the train '
            'loop counts iterations: the log would show each iteration as '
            'a batch of epoch 1; set log_processor.by_epoch=False')


#: the launchers mmengine's Runner knows (tools' ``--launcher`` choices)
LAUNCHERS = ('none', 'pytorch', 'slurm', 'mpi')


def _runner_settings(cfg: Config) -> None:
    """Refuse a run setting of the wrong kind: ``resume`` other than True or
    False (mmengine resumes on any truthy value, ``'no'`` too), a
    ``work_dir`` or ``load_from`` that is no path, an unknown launcher, a
    seed that is no whole number."""
    resume = cfg.get('resume')
    if resume is not None and not isinstance(resume, bool):
        raise ConfigError(
            f'resume={resume!r}: give True (resume from load_from, else '
            "from the work dir's latest checkpoint) or False")
    for key, what in (('work_dir', 'the folder the run writes to'),
                      ('load_from', 'the checkpoint the run starts from')):
        value = cfg.get(key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f'{key}={value!r}: give a path, {what}')
    launcher = cfg.get('launcher')
    if launcher is not None and launcher not in LAUNCHERS:
        raise ConfigError(f'launcher={launcher!r}: give one of '
                          f'{", ".join(LAUNCHERS)}')
    seed = get_field(cfg, 'randomness.seed')
    if seed is not None and not is_whole(seed):
        raise ConfigError(f'randomness.seed={seed!r}: give a whole number, '
                          'or None for a random one')


def check_values(cfg: Config) -> None:
    """Refuse a count that is not a positive integer, a negative number of
    loader workers, persistent workers without workers, a sampler that
    never ends where a loop waits for an end, crop shifts outside their
    padding, an accuracy of no top-k, a teacher logit cache over views
    that change every epoch, a deadline on a recast of several stages, a
    preprocessor mean and std of different lengths, a data loader or
    sampler switch or a loss weight given as a string, a checkpoint
    interval that saves none before the end by mistake, checkpoints or
    schedulers counted in epochs under a loop of iterations (which reaches
    no epoch end before its last), and run settings of the wrong kind
    (``resume``, ``work_dir``, ``load_from``, ``launcher``,
    ``randomness.seed``)."""
    by_epoch = _train_by_epoch(cfg)
    _endless_sampler(cfg, by_epoch)
    _crop_shifts(cfg)
    _accuracy_topk(cfg)
    _cached_views_are_fixed(cfg)
    _deadline_in_one_stage(cfg)
    _normalization(cfg)
    _counts(cfg)
    _loader_workers(cfg)
    _loader_flags(cfg)
    _loss_weights(cfg)
    _checkpoint_interval(cfg, by_epoch)
    _schedulers_step(cfg, by_epoch)
    _runner_settings(cfg)
