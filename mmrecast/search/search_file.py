# Copyright (c) mmrecast contributors. All rights reserved.
"""The ``search.json`` a plan search writes, read back."""
import json
import os.path as osp
from typing import Sequence, Tuple

from mmrecast.utils.errors import ConfigError

__all__ = ['read_search']


def read_search(path: str, option: str,
                keys: Sequence[str] = ()) -> Tuple[str, dict]:
    """The file ``path`` names (``search.json`` itself or the search's work
    dir) and its contents, which must hold ``keys``; ``option`` names the
    command-line option that gave it, for the one-line error when there is
    no such file, or it is no search's record."""
    if osp.isdir(path):
        path = osp.join(path, 'search.json')
    if not osp.isfile(path):
        raise ConfigError(f'{option} {path}: no such file; give the '
                          'search.json of an earlier search (or its folder)')
    with open(path) as f:
        try:
            search = json.load(f)
        except ValueError:  # not JSON text (undecodable bytes included)
            search = None
    if not isinstance(search, dict):
        wrong = 'not a JSON object'
    else:
        wrong = next((f'no {k!r} in it' for k in keys if k not in search),
                     '')
    if wrong:
        raise ConfigError(f'{option} {path}: not the record of a search '
                          f'({wrong}); give the search.json that '
                          'tools/recast_search.py wrote')
    return path, search
