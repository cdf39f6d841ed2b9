# Copyright (c) mmrecast contributors. All rights reserved.
"""The search a library config is made for."""
from numbers import Real
from typing import Any, Callable, List, Mapping, NamedTuple, Optional

from mmrecast.utils.errors import ConfigError
from .latency_table import timing_batches
from .scores import SCORES
from .selection import AnyBudget, parse_budget

__all__ = ['RUNTIMES', 'SearchSettings', 'search_settings']

#: where students can be timed
RUNTIMES = ('torch', 'onnxruntime')


def _count(least: int) -> Callable[[Any], bool]:
    return lambda v: (isinstance(v, int) and not isinstance(v, bool)
                      and v >= least)


def _seconds(value: Any) -> bool:
    return (isinstance(value, Real) and not isinstance(value, bool)
            and value > 0)


#: name -> (default, check, what a valid value is) of every setting but
#: the budgets; None defaults are resolved where they are used (the batch
#: sizes by the runtime, samples by the library's size)
_CHECKS = {
    'runtime': ('torch', lambda v: v in RUNTIMES,
                f'give one of {", ".join(RUNTIMES)}'),
    'batch': (None, _count(1), 'give the batch size of the latency model '
              'and budgets, a positive integer'),
    'report_batch': (None, _count(1), 'give the second batch size every '
                     'plan is measured at, a positive integer'),
    'score': ('kl', lambda v: v in SCORES,
              f'give one of {", ".join(sorted(SCORES))}'),
    'score_pairs': (False, lambda v: isinstance(v, bool), 'give True or '
                    'False'),
    'calibrate': (3, _count(0), 'give how many times a plan measured over '
                  'its budget is chosen again, 0 or more'),
    'rerank': (1, _count(1), 'give how many best plans are reranked by '
               'their joint KL, a positive integer'),
    'samples': (None, _count(0), 'give how many random plans the latency '
                'model is fitted to, 0 or more'),
    'timing_seconds': (20.0, _seconds, 'give the seconds of timing of the '
                       'latency model, a positive number'),
    'max_batches': (None, _count(1), 'give how many held-out batches the '
                    'candidates are scored on, a positive integer'),
}


class SearchSettings(NamedTuple):
    """``tools/recast_search.py``'s options as ``search_cfg`` sets them
    (None: not set); the command line overrides each, so that a library
    config can hold the whole search it was made for and a bare
    ``recast_search.py CONFIG`` runs it again."""
    budgets: Optional[List[AnyBudget]] = None
    runtime: Optional[str] = None
    batch: Optional[int] = None
    report_batch: Optional[int] = None
    score: Optional[str] = None
    score_pairs: Optional[bool] = None
    calibrate: Optional[int] = None
    rerank: Optional[int] = None
    samples: Optional[int] = None
    timing_seconds: Optional[float] = None
    max_batches: Optional[int] = None

    def resolved(self, given: Mapping[str, Any]) -> 'SearchSettings':
        """Every setting: the value in ``given`` (the command line's, None
        where it gave none), else these settings, else its default."""
        merged = {
            name: given.get(name) if given.get(name) is not None else value
            for name, value in self._asdict().items()
        }
        for name, (default, _, _) in _CHECKS.items():
            if merged[name] is None:
                merged[name] = default
        if merged['budgets'] is None:
            merged['budgets'] = [parse_budget('latency=0.5x')]
        merged['batch'], merged['report_batch'] = timing_batches(
            merged['runtime'], merged['batch'], merged['report_batch'])
        return SearchSettings(**merged)


def search_settings(search_cfg: Mapping) -> SearchSettings:
    """The settings ``search_cfg`` gives (e.g. three batch-1 latency
    budgets in onnxruntime), each checked.

    Raises:
        ConfigError: A value the search would refuse, in one line that
            names ``search_cfg.<key>``.
    """
    budgets = search_cfg.get('budgets')
    if budgets is not None:
        if not isinstance(budgets, (list, tuple)) or not budgets or not all(
                isinstance(b, str) for b in budgets):
            raise ConfigError(f'search_cfg.budgets={budgets!r}: give a list '
                              "of budgets, e.g. ['latency=0.5x', "
                              "'params=0.5x', 'latency=0.5x,params=0.3x']")
        budgets = [parse_budget(b, 'search_cfg.budgets') for b in budgets]
    values = {}
    for name, (_, check, need) in _CHECKS.items():
        value = search_cfg.get(name)
        if value is not None and not check(value):
            raise ConfigError(f'search_cfg.{name}={value!r}: {need}')
        values[name] = value
    return SearchSettings(budgets, **values)
