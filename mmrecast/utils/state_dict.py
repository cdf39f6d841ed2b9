# Copyright (c) mmrecast contributors. All rights reserved.
"""Rename the keys of third-party state dicts.

mmengine renames keys only while loading into a model
(``load_checkpoint(revise_keys=...)``, which reads just a ``state_dict``
entry and reports a mismatch as a list of every key); converters write
renamed files, and :class:`~mmrecast.models.ExternalBackbone` reports a
mismatch in one line, so both rename here.
"""
import re
from collections import OrderedDict
from typing import Dict, Iterable, Mapping, Tuple, Union

import torch

__all__ = ['remap_state_dict']

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
