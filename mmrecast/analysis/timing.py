# Copyright (c) mmrecast contributors. All rights reserved.
"""Wall time of calls, for latency reports and the step benchmarks."""
from typing import Callable, List, Sequence

import torch

__all__ = ['time_call', 'interleaved_times']


def time_call(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes, timed by ``torch.utils.benchmark``
    (which synchronises CUDA) with this process's thread count."""
    # imported here: importing it loads torch's C++ extension helpers
    import torch.utils.benchmark as benchmark
    timer = benchmark.Timer(
        stmt='fn()',
        globals=dict(fn=fn),
        num_threads=torch.get_num_threads())
    return timer.timeit(1).median


def interleaved_times(fns: Sequence[Callable[[], object]],
                      reps: int,
                      warmup: int = 2) -> List[List[float]]:
    """Times of each function, round by round (one call of each per round).

    ``torch.utils.benchmark`` times one statement at a time; rounds that
    call the functions in turn let a shared machine's slow spells hit all
    of them alike, so per-round ratios stay honest.

    Returns:
        list[list[float]]: ``reps`` rounds, one time per function each.
    """
    for _ in range(warmup):
        for fn in fns:
            fn()
    return [[time_call(fn) for fn in fns] for _ in range(reps)]
