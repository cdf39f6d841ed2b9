# Copyright (c) mmrecast contributors. All rights reserved.
"""Rename the keys of third-party state dicts."""
import re
from collections import OrderedDict
from typing import Dict, Iterable, Mapping, Tuple, Union

import torch

__all__ = ['remap_state_dict', 'add_missing_bn_counters']

KeyMap = Union[Mapping[str, str], Iterable[Tuple[str, str]]]


def remap_state_dict(state_dict: Mapping[str, torch.Tensor],
                     key_map: KeyMap) -> 'OrderedDict[str, torch.Tensor]':
    """Rename keys with regular expressions, applied in order.

    Args:
        state_dict (Mapping[str, Tensor]): The weights.
        key_map (Mapping[str, str] | Iterable[tuple[str, str]]): Pairs of
            ``(pattern, replacement)`` for :func:`re.sub`, e.g.
            ``{'^module\\.': '', '^fc\\.': 'head.fc.'}``. Every pair is
            applied to every key, in order.

    Returns:
        OrderedDict: The renamed weights (same tensors).

    Raises:
        ValueError: Two keys are renamed to the same name.
    """
    pairs = list(key_map.items()) if isinstance(key_map, Mapping) \
        else list(key_map)
    compiled = [(re.compile(pattern), repl) for pattern, repl in pairs]
    out: Dict[str, torch.Tensor] = OrderedDict()
    for key, value in state_dict.items():
        new_key = key
        for pattern, repl in compiled:
            new_key = pattern.sub(repl, new_key)
        if new_key in out:
            raise ValueError(f'key_map renames two keys to {new_key!r}; '
                             'make the patterns more specific')
        out[new_key] = value
    return out


def add_missing_bn_counters(
        state_dict: Mapping[str, torch.Tensor]
) -> 'OrderedDict[str, torch.Tensor]':
    """Add ``num_batches_tracked`` (0) to BN entries saved before torch 0.4.1
    so that the weights load with ``strict=True``."""
    out = OrderedDict(state_dict)
    for key in list(state_dict):
        if key.endswith('.running_mean'):
            counter = key[:-len('running_mean')] + 'num_batches_tracked'
            out.setdefault(counter, torch.tensor(0, dtype=torch.long))
    return out
