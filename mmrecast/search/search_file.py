# Copyright (c) mmrecast contributors. All rights reserved.
"""The ``search.json`` a plan search writes, read back."""
import json
import os.path as osp
from typing import Tuple

from mmrecast.utils.errors import ConfigError

__all__ = ['read_search']


def read_search(path: str, option: str) -> Tuple[str, dict]:
    """The file ``path`` names (``search.json`` itself or the search's work
    dir) and its contents; ``option`` names the command-line option that
    gave it, for the one-line error when there is no such file."""
    if osp.isdir(path):
        path = osp.join(path, 'search.json')
    if not osp.isfile(path):
        raise ConfigError(f'{option} {path}: no such file; give the '
                          'search.json of an earlier search (or its folder)')
    with open(path) as f:
        return path, json.load(f)
