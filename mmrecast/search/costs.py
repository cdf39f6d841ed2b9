# Copyright (c) mmrecast contributors. All rights reserved.
"""What each library candidate changes of the teacher's cost."""
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
import torch

from mmrecast.models.algorithms import CandidateLibrary
from mmrecast.models.recasters import probe_io
from mmrecast.models.utils import as_deployed, reparameterized
from mmrecast.utils.complexity import count_macs, count_params
from .latency_table import LatencyTable, Option, build_student

__all__ = ['Costs', 'candidate_costs', 'size_costs']

#: per resource, the teacher's total; and per resource, each option's change
Costs = Tuple[Dict[str, float], Dict[str, Dict[tuple, float]]]


def size_costs(library: CandidateLibrary, input_size: Sequence[int],
               pairs: Sequence[Tuple[Option, Option]] = ()) -> Costs:
    """Per resource (params, MACs): the teacher's total, and each
    candidate's count minus its block's (negative: a saving).

    Counted on the candidate at its block's real input shape as deployed
    (branches merged, :func:`~mmrecast.models.utils.reparameterized`).
    Each of ``pairs``, candidates whose projection folds into the next
    conv only when both are chosen, gets the count's further change under
    its ``(option, option)`` key, from the students as exported
    (:func:`~mmrecast.models.utils.as_deployed`). Needs no timing.
    """
    shapes = probe_io(library.teacher, library.blocks,
                      torch.zeros(1, *input_size))
    totals = dict(params=count_params(library.teacher),
                  macs=count_macs(library.teacher, input_size))
    deltas: Dict[str, Dict[tuple, float]] = {r: {} for r in totals}
    for entry in library.entries:
        block = library.teacher.get_submodule(entry.block)
        target = reparameterized(library.target(entry.block, entry.index))
        shape = shapes[entry.block][1][1:]
        key = (entry.block, entry.index)
        deltas['params'][key] = count_params(target) - count_params(block)
        deltas['macs'][key] = count_macs(target, shape) - count_macs(
            block, shape)
    if not pairs:
        return totals, deltas
    # counted on whole exported students, each single option once
    options = {option for pair in pairs for option in pair}
    alone = {option: _exported_counts(library, [option], input_size)
             for option in options}
    teacher = _exported_counts(library, (), input_size)
    for pair in pairs:
        change = _exported_counts(library, pair, input_size) - sum(
            alone[o] for o in pair) + teacher
        deltas['params'][pair], deltas['macs'][pair] = change
    return totals, deltas


def candidate_costs(library: CandidateLibrary,
                    table: LatencyTable,
                    input_size: Sequence[int],
                    sizes: Optional[Costs] = None) -> Costs:
    """:func:`size_costs` for the pairs of the fitted ``table`` (``sizes``
    where already counted: not counted again), and the latency in ms it
    predicts: the teacher's, each candidate's saving (negative delta) and
    each pair's further saving (``table.pair_savings``)."""
    if sizes is None:
        sizes = size_costs(library, input_size, sorted(table.pair_savings))
    totals = dict(sizes[0])
    deltas = {resource: dict(change) for resource, change in sizes[1].items()}
    totals['latency'] = table.whole_ms
    options = [(e.block, e.index) for e in library.entries]
    deltas['latency'] = {o: -table.savings[o] for o in options}
    for pair, ms in table.pair_savings.items():
        deltas['latency'][pair] = -ms
    return totals, deltas


def _exported_counts(library: CandidateLibrary, options: Sequence[Option],
                     input_size: Sequence[int]) -> np.ndarray:
    """Params and MACs of the student of ``options`` as exported."""
    student = as_deployed(build_student(library, dict(options)),
                          mode='tensor')
    return np.array([count_params(student), count_macs(student, input_size)],
                    dtype=float)
