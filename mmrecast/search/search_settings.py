# Copyright (c) mmrecast contributors. All rights reserved.
"""The search a library config is made for."""
from typing import List, Mapping, NamedTuple, Optional, Tuple

from mmrecast.utils.errors import ConfigError
from .latency_table import timing_batches
from .selection import Budget, parse_budget

__all__ = ['RUNTIMES', 'SearchSettings', 'search_settings']

#: where students can be timed
RUNTIMES = ('torch', 'onnxruntime')


class SearchSettings(NamedTuple):
    """What ``search_cfg`` sets of ``tools/recast_search.py``'s options
    (None: not set); the command line overrides each."""
    budgets: Optional[List[Budget]]
    runtime: Optional[str]
    batch: Optional[int]

    def timing(self,
               runtime: Optional[str] = None,
               batch: Optional[int] = None,
               report_batch: Optional[int] = None) -> Tuple[str, int, int]:
        """The runtime, batch size and report batch size: what the command
        line gave, else these settings, else torch and
        :func:`~mmrecast.search.timing_batches`' defaults."""
        runtime = runtime or self.runtime or 'torch'
        return (runtime, *timing_batches(runtime, batch or self.batch,
                                         report_batch))


def search_settings(search_cfg: Mapping) -> SearchSettings:
    """``search_cfg.budgets``, ``runtime`` and ``batch``, checked, so that a
    library config names the search it was made for (e.g. three batch-1
    latency budgets in onnxruntime) and a bare ``recast_search.py CONFIG``
    runs it."""
    budgets = search_cfg.get('budgets')
    if budgets is not None:
        if not isinstance(budgets, (list, tuple)) or not budgets or not all(
                isinstance(b, str) for b in budgets):
            raise ConfigError(f'search_cfg.budgets={budgets!r}: give a list '
                              "of budgets, e.g. ['latency=0.5x', "
                              "'params=0.5x']")
        budgets = [parse_budget(b, 'search_cfg.budgets') for b in budgets]
    runtime = search_cfg.get('runtime')
    if runtime is not None and runtime not in RUNTIMES:
        raise ConfigError(f'search_cfg.runtime={runtime!r}: give one of '
                          f'{", ".join(RUNTIMES)}')
    batch = search_cfg.get('batch')
    if batch is not None and (isinstance(batch, bool)
                              or not isinstance(batch, int) or batch < 1):
        raise ConfigError(f'search_cfg.batch={batch!r}: give the batch size '
                          'of the latency model and budgets, a positive '
                          'integer')
    return SearchSettings(budgets, runtime, batch)
