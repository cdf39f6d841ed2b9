# Copyright (c) mmrecast contributors. All rights reserved.
"""Wall time of calls, for latency reports and the step benchmarks."""
import random
import time
from typing import Callable, List, Sequence

import torch

__all__ = ['time_call', 'interleaved_times']


def time_call(fn: Callable[[], object]) -> float:
    """Seconds that exactly one call of ``fn`` takes (CUDA synchronised).

    Hand-written because ``torch.utils.benchmark.Timer.timeit`` runs at
    least two warm-up calls before every measurement: for a training step
    those are extra optimiser updates, and they tripled the wall time of
    ``tools/benchmarks/distill_step.py``. Stateless calls use the Timer
    (:func:`~mmrecast.analysis.measure_latency`).
    """
    cuda = torch.cuda.is_available() and torch.cuda.is_initialized()
    if cuda:
        torch.cuda.synchronize()
    start = time.perf_counter()
    fn()
    if cuda:
        torch.cuda.synchronize()
    return time.perf_counter() - start


def interleaved_times(fns: Sequence[Callable[[], object]],
                      reps: int,
                      warmup: int = 2) -> List[List[float]]:
    """Times of each function, round by round (one call of each per round).

    No library interleaves timings; rounds that call the functions in turn
    let a shared machine's slow spells hit all of them alike, so per-round
    ratios stay honest. Each round calls them in a new random order (the
    same orders on every run), so no function always follows the same one
    (whose caches and threads it would inherit).

    Returns:
        list[list[float]]: ``reps`` rounds, one time per function each, in
        the order of ``fns``.
    """
    for _ in range(warmup):
        for fn in fns:
            fn()
    order = random.Random(0)
    rounds = []
    for _ in range(reps):
        calls = order.sample(range(len(fns)), len(fns))
        times = {i: time_call(fns[i]) for i in calls}
        rounds.append([times[i] for i in range(len(fns))])
    return rounds
