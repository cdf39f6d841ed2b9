# Copyright (c) mmrecast contributors. All rights reserved.
"""Strict, weights-only loading of a module's entries of a checkpoint."""
import os.path as osp

import torch.nn as nn
from mmengine.runner import find_latest_checkpoint

from .checkpoint import load_checkpoint_file

__all__ = ['checkpoint_file', 'load_weights_into']


def checkpoint_file(path: str, field: str) -> str:
    """``path`` itself, or the latest checkpoint of a work dir."""
    if not osp.isdir(path):
        return path
    latest = find_latest_checkpoint(path)
    if not latest:
        raise FileNotFoundError(f'{field}: {path} is a folder without a '
                                'last_checkpoint file; name the checkpoint '
                                'file, or run that stage first')
    return latest


def load_weights_into(module: nn.Module,
                      checkpoint: str,
                      prefix: str = '',
                      field: str = 'checkpoint') -> None:
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
        field (str): Config field named in errors.
    """
    checkpoint = checkpoint_file(checkpoint, field)
    state = load_checkpoint_file(checkpoint, 'cpu')
    state = state.get('state_dict', state)
    picked = {k[len(prefix):]: v for k, v in state.items()
              if k.startswith(prefix)}
    if not picked:
        tops = sorted({k.split('.')[0] + '.' for k in state})
        raise KeyError(f'{field}: {checkpoint} has no weights under prefix '
                       f'{prefix!r}; its top-level prefixes are {tops}')
    result = module.load_state_dict(picked, strict=False)
    if result.missing_keys or result.unexpected_keys:
        raise KeyError(f'{field}: weights under {prefix!r} in {checkpoint} '
                       f'do not match {type(module).__name__}: missing '
                       f'{result.missing_keys[:4]}, unexpected '
                       f'{result.unexpected_keys[:4]}')
