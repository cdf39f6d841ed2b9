# Copyright (c) mmrecast contributors. All rights reserved.
"""What each library candidate changes of the teacher's cost."""
from typing import Dict, Sequence, Tuple

import torch

from mmrecast.models.algorithms import CandidateLibrary
from mmrecast.models.recasters import probe_io
from mmrecast.models.utils import reparameterized
from mmrecast.utils.complexity import count_macs, count_params
from .latency_table import LatencyTable

__all__ = ['candidate_costs']


def candidate_costs(
    library: CandidateLibrary, table: LatencyTable,
    input_size: Sequence[int]
) -> Tuple[Dict[str, float], Dict[str, Dict[Tuple[str, int], float]]]:
    """Per resource (latency in ms, params, MACs): the teacher's total, and
    each candidate's cost minus its block's (negative: a saving).

    Latency comes from the fitted ``table``, with a ``(option, option)``
    key for each pair of candidates that saves more together
    (``table.pair_savings``); params and MACs are counted on the candidate
    at its block's real input shape as deployed (branches merged,
    :func:`~mmrecast.models.utils.reparameterized`), with no projection
    folded (an upper bound for a plan that folds one).
    """
    shapes = probe_io(library.teacher, library.blocks,
                      torch.zeros(1, *input_size))
    totals = dict(latency=table.whole_ms,
                  params=count_params(library.teacher),
                  macs=count_macs(library.teacher, input_size))
    deltas: Dict[str, Dict[Tuple[str, int], float]] = {r: {} for r in totals}
    for entry in library.entries:
        block = library.teacher.get_submodule(entry.block)
        target = reparameterized(library.target(entry.block, entry.index))
        shape = shapes[entry.block][1][1:]
        key = (entry.block, entry.index)
        deltas['latency'][key] = -table.savings[key]
        deltas['params'][key] = count_params(target) - count_params(block)
        deltas['macs'][key] = count_macs(target, shape) - count_macs(
            block, shape)
    for pair, ms in table.pair_savings.items():
        deltas['latency'][pair] = -ms
    return totals, deltas
