# Copyright (c) mmrecast contributors. All rights reserved.
import pytest

from mmrecast.models.utils import as_deployed
from mmrecast.search import (LatencyTable, build_student, candidate_costs,
                             folding_pairs, plan_total)
from mmrecast.utils.complexity import count_macs, count_params
from tests.helpers import candidate_library

NARROW = (dict(type='BasicBlockToConv'),
          dict(type='BasicBlockToNarrowConv', ratio=0.5),
          dict(type='BlockToShortcut'))


def test_a_plan_costs_what_its_exported_student_counts():
    """Narrow convs (index 1) fold their projection into the next block's
    conv only when both are chosen: the plan's params and MACs are those of
    the student as exported, relative to the teacher's."""
    library = candidate_library(blocks='backbone.layer1.*', recasters=NARROW)
    pairs = folding_pairs(library)
    table = LatencyTable(1, 'cpu', 10.0,
                         savings={(c.block, c.index): 0.1
                                  for c in library.entries},
                         pair_savings={pair: 0.05 for pair in pairs})
    totals, deltas = candidate_costs(library, table, (3, 32, 32))
    b0, b1, b2 = library.blocks

    def exported(choice):
        student = as_deployed(build_student(library, choice), mode='tensor')
        return count_params(student), count_macs(student, (3, 32, 32))

    teacher = exported({})
    for choice in ({b0: 1, b1: 0}, {b0: 1, b1: 1, b2: 1}, {b0: 1, b2: 2},
                   {b0: 0, b1: 1}):
        params, macs = exported(choice)
        assert totals['params'] + plan_total(deltas['params'], choice) == \
            pytest.approx(totals['params'] + params - teacher[0]), choice
        assert totals['macs'] + plan_total(deltas['macs'], choice) == \
            pytest.approx(totals['macs'] + macs - teacher[1]), choice
    # a fold saves: the next conv reads half the channels
    assert deltas['params'][((b0, 1), (b1, 0))] < 0
    assert deltas['macs'][((b0, 1), (b1, 0))] < 0
    assert deltas['latency'][((b0, 1), (b1, 0))] == -0.05
