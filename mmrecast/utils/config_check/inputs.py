# Copyright (c) mmrecast contributors. All rights reserved.
"""Checks that what a training run reads is there and can train here:
its checkpoints, its training data, its optimizer settings."""
import inspect
import os.path as osp

from mmengine.config import Config

from ..errors import (ConfigError, argument_hint, config_arguments,
                      print_warning)
from .lookup import (closest_hint, entries_setting, get_field, is_number,
                     registered_class)

__all__ = ['check_input_files', 'check_optim_wrapper']


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


def _warn_untrained_teacher(cfg: Config) -> None:
    """Warn of a teacher that no weights reach: the run would go on, and
    the student learn from a randomly initialised network. A run that
    resumes or loads a checkpoint has them from there."""
    if cfg.get('resume') or cfg.get('load_from'):
        return
    for path, entry in entries_setting(cfg.get('model'), 'model', 'teacher',
                                       dict):
        handed = entry.get('init_from')
        # a checkpoint anywhere in the teacher's config: ExternalBackbone's,
        # an init_cfg's (Pretrained)
        if entry.get('teacher_checkpoint') or any(entries_setting(
                entry['teacher'], path, 'checkpoint')) or any(
                    str(item.get('module', '')).startswith('teacher')
                    for item in (handed if isinstance(handed, list) else [])
                    if isinstance(item, dict)):
            continue
        print_warning(f'{path}.teacher: no weights reach the teacher (no '
                      f'{path}.teacher_checkpoint, and no checkpoint in its '
                      'config): the student learns from a randomly '
                      f'initialised network; set {path}.teacher_checkpoint '
                      'to its trained weights')


def check_input_files(cfg: Config, init_from: bool = True) -> None:
    """Refuse, in one line, an input a training run needs that is not
    there: a ``teacher_checkpoint`` of the model, the checkpoints of its
    ``init_from`` (unless ``init_from`` is False: a stage whose
    predecessor has not run yet), ``load_from``, a ``data_root`` of the
    training data (unless its data set downloads).

    Without this a run learns it only once its runner, data and model are
    built (and its work dir made), and a tool that launches several runs
    (a budget's warm-ups) only after the first of them. Remote files
    (``scheme://``) are left to their loaders. A teacher that no weights
    reach is warned of: it trains, but teaches nothing.
    """
    _warn_untrained_teacher(cfg)
    from ..weights import existing_checkpoint
    files = [(f'{path}.teacher_checkpoint', entry['teacher_checkpoint'])
             for path, entry in entries_setting(
                 cfg.get('model'), 'model', 'teacher_checkpoint')]
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
    train_data = get_field(cfg, 'train_dataloader.dataset')
    for path, dataset in entries_setting(
            train_data, 'train_dataloader.dataset', 'data_root'):
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
        if value is not None and (not is_number(value) or value < 0):
            raise ConfigError(f'optim_wrapper.optimizer.{key}={value!r}: '
                              'must be a number >= 0')
    _clip_grad_arguments(entry.get('clip_grad'))
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


def _clip_grad_arguments(clip) -> None:
    """Refuse a key of ``optim_wrapper.clip_grad`` that torch's clipping
    function does not take: mmengine calls it at the first step, and a
    misspelt key was a traceback there."""
    import torch
    if not isinstance(clip, dict):
        return
    clip_fn = dict(norm=torch.nn.utils.clip_grad_norm_,
                   value=torch.nn.utils.clip_grad_value_).get(
                       clip.get('type', 'norm'))
    if clip_fn is None:
        return  # a type mmengine refuses by name
    takes = config_arguments(clip_fn, {'parameters'})
    for key in clip:
        if key != 'type' and key not in takes:
            raise ConfigError(f'optim_wrapper.clip_grad.{key}: not an '
                              f'argument of {clip_fn.__name__}; '
                              f'{argument_hint(key, takes)}')
    # torch clips to any value: a negative bound turns the gradients
    # around (the run climbs its loss), zero removes them
    bound = 'max_norm' if clip_fn is torch.nn.utils.clip_grad_norm_ \
        else 'clip_value'
    value = clip.get(bound)
    if value is not None and (not is_number(value) or value <= 0):
        raise ConfigError(f'optim_wrapper.clip_grad.{bound}={value!r}: '
                          'must be a number > 0 (a negative one turns the '
                          'gradients around)')


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
                      f'registered optimizer; {closest_hint(kind, names)}'
                      "check the spelling and its scope (e.g. "
                      "'mmpretrain.Lamb')")
