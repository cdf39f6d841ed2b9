# Copyright (c) mmrecast contributors. All rights reserved.
"""Strict, weights-only loading of a module's entries of a checkpoint."""
import os.path as osp
from typing import Sequence

import torch.nn as nn
from mmengine.runner import find_latest_checkpoint

from .checkpoint import load_checkpoint_file
from .errors import CheckpointFileError

__all__ = [
    'NO_CHECKPOINT', 'checkpoint_file', 'existing_checkpoint',
    'key_mismatch', 'load_exactly', 'load_fitting', 'load_weights_into',
    'names_no_file', 'top_level_names', 'without_weight_files'
]

#: CHECKPOINT arguments that mean "no file": the model's own config loads
#: its weights (e.g. an ``ExternalBackbone`` with ``checkpoint=``).
NO_CHECKPOINT = ('', 'none')


def names_no_file(checkpoint) -> bool:
    """Whether a CHECKPOINT argument says the config loads its own weights
    (None, ``''`` or ``'none'``)."""
    return checkpoint is None or str(checkpoint).lower() in NO_CHECKPOINT


def checkpoint_file(path: str, field: str) -> str:
    """``path`` itself, or the latest checkpoint of a work dir."""
    if not osp.isdir(path):
        return path
    latest = find_latest_checkpoint(path)
    if not latest:
        raise CheckpointFileError(f'{field}: {path} is a folder without a '
                                  'last_checkpoint file; name the '
                                  'checkpoint file, or run that stage first')
    return latest


def existing_checkpoint(path: str, field: str) -> str:
    """:func:`checkpoint_file`, refused in one line when no such file
    exists (checked before anything slow is built)."""
    checkpoint = checkpoint_file(path, field)
    if not osp.isfile(checkpoint):
        raise CheckpointFileError(f'{field}: {checkpoint}: no such '
                                  'checkpoint file; check the path')
    return checkpoint


def load_fitting(module: nn.Module, state: dict, what: str):
    """``module.load_state_dict(state, strict=False)``; weights of another
    shape are a one-line :class:`CheckpointFileError` about ``what``.

    Returns:
        The missing and unexpected keys (torch's ``_IncompatibleKeys``).
    """
    try:
        return module.load_state_dict(state, strict=False)
    except RuntimeError as error:  # shapes differ
        sizes = [line.strip() for line in str(error).splitlines()
                 if 'size mismatch' in line]
        raise CheckpointFileError(
            f'{what} does not fit {type(module).__name__}: '
            f'{(sizes or [str(error)])[0]}; is it a checkpoint of this '
            'config (depth, width, classes)?') from None


def load_weights_into(module: nn.Module,
                      checkpoint: str,
                      prefix: str = '',
                      field: str = 'checkpoint',
                      strict: bool = True) -> None:
    """Load the entries of ``checkpoint`` under ``prefix`` into ``module``,
    strictly: every weight of the module must be there, nothing else.

    mmengine's ``Pretrained`` initializer does the same non-strictly (a
    mismatch is only logged), hence this function: a stage hand-over that
    silently loads nothing trains from scratch without anyone noticing.

    Args:
        module (nn.Module): Target module.
        checkpoint (str): File (weights-only loading), or a work dir whose
            latest checkpoint is meant.
        prefix (str): Key prefix of the module in the checkpoint, e.g.
            ``'student.'``; ``''`` for a file that holds just this module.
        field (str): Config field or option named in errors (with a
            ``prefix``: the config entry that sets it).
        strict (bool): Refuse missing and unexpected keys. Defaults to True.
    """
    checkpoint = existing_checkpoint(checkpoint, field)
    state = load_checkpoint_file(checkpoint, 'cpu')
    state = state.get('state_dict', state)
    if not isinstance(state, dict):
        raise CheckpointFileError(f'{field}: {checkpoint} holds a '
                                  f'{type(state).__name__}, not weights')
    picked = {k[len(prefix):]: v for k, v in state.items()
              if k.startswith(prefix)}
    if not isinstance(getattr(module, 'module', None), nn.Module):
        # saved from inside a DDP / DataParallel wrapper
        picked = {k[7:] if k.startswith('module.') else k: v
                  for k, v in picked.items()}
    if not picked:
        tops = ', '.join(f'{name}.' for name in top_level_names(state))
        raise CheckpointFileError(
            f'{field}: {checkpoint} has no weights under prefix {prefix!r} '
            f'(its top-level prefixes: {tops}); give the '
            f'checkpoint of the run that trained them, or set {field}.prefix '
            "to the one its weights have ('' for weights of this module "
            'alone)')
    load_exactly(module, picked, f'{field}: {checkpoint}', strict)


def load_exactly(module: nn.Module, state: dict, what: str,
                 strict: bool = True) -> None:
    """Load ``state`` into ``module`` (:func:`load_fitting`); with
    ``strict``, missing or unexpected keys are a one-line
    :class:`CheckpointFileError` about ``what``."""
    result = load_fitting(module, state, what)
    missing, unexpected = result.missing_keys, result.unexpected_keys
    if not strict or not (missing or unexpected):
        return
    name = type(module).__name__
    if any(k.startswith(('student.', 'teacher.')) for k in unexpected) \
            and not hasattr(module, 'teacher'):
        raise CheckpointFileError(
            f'{what} is a training checkpoint of a distill or '
            'recast run, not of this classifier; run tools/export_student.py '
            'RUN_CONFIG CHECKPOINT OUT_DIR and use OUT_DIR/student.py and '
            'student.pth')
    keys = module.state_dict()
    if hasattr(module, 'teacher') and unexpected and all(
            f'teacher.{k}' in keys for k in unexpected):
        raise CheckpointFileError(
            f"{what} holds a classifier's weights (this {name}'s teacher "
            f'alone), not a training checkpoint of {name}; give the one '
            'tools/train.py writes for this config')
    raise CheckpointFileError(
        f'{what} does not match {name}: '
        f'{key_mismatch(missing, unexpected)}; use a checkpoint of this '
        'config')


def top_level_names(state: dict) -> list:
    """The first names of a state dict's keys (``backbone``, ``head``),
    sorted: what a checkpoint holds, for an error line."""
    return sorted({key.split('.')[0] for key in state})


def key_mismatch(missing: Sequence[str], unexpected: Sequence[str],
                 shown: int = 3) -> str:
    """``missing [a, b, c]... (N), unexpected [...] (M)``: the first
    ``shown`` keys of each non-empty list, for a one-line error."""
    parts = []
    for label, keys in (('missing', missing), ('unexpected', unexpected)):
        if keys:
            more = '...' if len(keys) > shown else ''
            parts.append(f'{label} {list(keys[:shown])}{more} ({len(keys)})')
    return ', '.join(parts)


def without_weight_files(cfg):
    """``cfg`` without the weight files a model config names
    (``teacher_checkpoint``, ``init_from``, ``ExternalBackbone.checkpoint``,
    ``Pretrained`` inits), changed in place: for a model whose weights come
    from elsewhere (an exported checkpoint, an earlier run)."""
    if isinstance(cfg, dict):
        for key in ('teacher_checkpoint', 'init_from'):
            cfg.pop(key, None)
        if str(cfg.get('type', '')).endswith('ExternalBackbone'):
            cfg.pop('checkpoint', None)
        init = cfg.get('init_cfg')
        inits = init if isinstance(init, list) else [init]
        if any(isinstance(i, dict) and i.get('type') == 'Pretrained'
               for i in inits):
            cfg.pop('init_cfg')
        for value in cfg.values():
            without_weight_files(value)
    elif isinstance(cfg, list):
        for value in cfg:
            without_weight_files(value)
    return cfg
