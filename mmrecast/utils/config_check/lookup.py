# Copyright (c) mmrecast contributors. All rights reserved.
"""Reading a config the way its builders will: a dotted field, the
entries that set a key, the class an entry builds, the closest name."""
import difflib
import inspect
from typing import Iterable, Iterator, List, Mapping, Optional, Tuple

from mmengine.config import Config

__all__ = [
    'LOADERS', 'closest_hint', 'entries_setting', 'get_field', 'is_number',
    'is_whole', 'registered_class', 'scheduler_entries'
]

#: the data loader fields a config may have (``search`` for a plan search)
LOADERS = tuple(f'{split}_dataloader'
                for split in ('train', 'val', 'test', 'search'))


def is_whole(value) -> bool:
    """Whether ``value`` is an int, not a bool (True is an int to Python).
    """
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value) -> bool:
    """Whether ``value`` is an int or a float, not a bool."""
    return is_whole(value) or isinstance(value, float)


def get_field(cfg: Config, path: str):
    """The value at the dotted ``path`` of ``cfg``, or None if a key on
    the way is missing."""
    first, *rest = path.split('.')
    value = cfg.get(first)
    for key in rest:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def entries_setting(value,
                    path: str,
                    key: str,
                    kind: type = str) -> Iterator[Tuple[str, dict]]:
    """``(path, dict)`` of every dict under ``value`` that sets ``key`` to
    a ``kind`` (a string by default)."""
    if isinstance(value, dict):
        if isinstance(value.get(key), kind):
            yield path, value
        for name, item in value.items():
            yield from entries_setting(item, f'{path}.{name}', key, kind)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from entries_setting(item, f'{path}.{i}', key, kind)


def scheduler_entries(cfg: Config) -> List[Tuple[str, object]]:
    """``(path, entry)`` of each ``param_scheduler`` entry: ``param_scheduler``
    for one scheduler, ``param_scheduler.<i>`` in a list."""
    entries = cfg.get('param_scheduler')
    if isinstance(entries, dict):
        return [('param_scheduler', entries)]
    if isinstance(entries, (list, tuple)):
        return [(f'param_scheduler.{i}', e) for i, e in enumerate(entries)]
    return []


def registered_class(registry, entry: dict, scope) -> Optional[type]:
    """The class that the config ``entry`` of ``registry`` builds (its own
    ``_scope_`` first, then the config's ``default_scope``), or None when
    it is not found here: its builder will name it."""
    kind, scope = entry.get('type'), entry.get('_scope_') or scope
    if isinstance(kind, str):
        kind = (scope and '.' not in kind and registry.get(
            f'{scope}.{kind}')) or registry.get(kind)
    return kind if inspect.isclass(kind) else None


def closest_hint(kind: str,
                 names: Iterable[str],
                 written: Optional[Mapping[str, str]] = None) -> str:
    """``did you mean 'Name'? `` for the registered name closest to
    ``kind`` (its scope left out), or '' when none is close; ``written``
    maps a name to the way a config writes it (``'mmrecast.Name'``)."""
    close = difflib.get_close_matches(kind.rsplit('.', 1)[-1], list(names),
                                      n=1)
    if not close:
        return ''
    return f'did you mean {(written or {}).get(close[0], close[0])!r}? '
