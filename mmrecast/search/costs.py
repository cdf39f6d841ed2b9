# Copyright (c) mmrecast contributors. All rights reserved.
"""What each library candidate changes of the teacher's cost."""
from typing import Dict, Sequence, Tuple

import numpy as np
import torch

from mmrecast.models.algorithms import CandidateLibrary
from mmrecast.models.recasters import probe_io
from mmrecast.models.utils import as_deployed, reparameterized
from mmrecast.utils.complexity import count_macs, count_params
from .latency_table import LatencyTable, Option, build_student

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
    :func:`~mmrecast.models.utils.reparameterized`), and such a pair,
    whose projection folds into the next conv only when both are chosen,
    gets the count's further change under the same key, from the
    students as exported (:func:`~mmrecast.models.utils.as_deployed`).
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
    if not table.pair_savings:
        return totals, deltas
    # the projection folds into the next conv only when both are chosen:
    # counted on whole exported students, each single option once
    options = {option for pair in table.pair_savings for option in pair}
    alone = {option: _exported_counts(library, [option], input_size)
             for option in options}
    teacher = _exported_counts(library, (), input_size)
    for pair, ms in table.pair_savings.items():
        deltas['latency'][pair] = -ms
        change = _exported_counts(library, pair, input_size) - sum(
            alone[o] for o in pair) + teacher
        deltas['params'][pair], deltas['macs'][pair] = change
    return totals, deltas


def _exported_counts(library: CandidateLibrary, options: Sequence[Option],
                     input_size: Sequence[int]) -> np.ndarray:
    """Params and MACs of the student of ``options`` as exported."""
    student = as_deployed(build_student(library, dict(options)),
                          mode='tensor')
    return np.array([count_params(student), count_macs(student, input_size)],
                    dtype=float)
