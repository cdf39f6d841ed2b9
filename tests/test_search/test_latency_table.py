# Copyright (c) mmrecast contributors. All rights reserved.
import itertools
import json

import pytest

from mmrecast.search import (LatencyTable, latency_table, load_latency_table,
                             measure_students, timing_batches)
from mmrecast.utils.errors import ConfigError
from tests.helpers import candidate_library as _library


def test_prediction_subtracts_the_chosen_savings():
    table = LatencyTable(64, 'cpu', 10.0,
                         savings={('a', 0): 2.0, ('b', 1): 0.5})
    assert table.predict({}) == 10.0
    assert table.predict({'a': 0, 'b': 1}) == 7.5


def _additive_timing(monkeypatch, truth):
    """Replace timing by ``truth``: a 20 ms teacher, less each chosen
    candidate's saving; returns the list the timed plans are added to."""
    plans = []

    def fake(library, choices, *args, **kwargs):
        plans.extend(choices)
        return 20.0, [20.0 - sum(truth[(b, i)] for b, i in c.items())
                      for c in choices]

    monkeypatch.setattr(latency_table, 'measure_students', fake)
    return plans


def test_the_additive_model_is_fitted_to_whole_students(monkeypatch):
    """Timing is replaced by a known additive truth (plus one interaction
    the model cannot express): the fit recovers the savings."""
    library = _library(blocks='backbone.layer1.*')
    truth = {(c.block, c.index): 0.1 + 0.3 * c.index + 0.05 * n
             for n, c in enumerate(library.entries)}
    plans = _additive_timing(monkeypatch, truth)
    table = latency_table.measure_latency_table(library, (3, 32, 32), 64,
                                                samples=30)
    assert table.whole_ms == pytest.approx(20.0)
    assert table.teacher_ms == 20.0
    assert table.savings == pytest.approx(truth)
    assert table.fit_error == pytest.approx(0.0, abs=1e-9)
    # the uniform plans and 30 random ones were measured
    assert {b: 0 for b in library.blocks} in plans and len(plans) == 3 + 30


def test_the_measured_teacher_is_kept_beside_the_intercept(monkeypatch):
    """Every swap costs 1 ms of overhead the additive model cannot
    express: the fitted intercept leaves the teacher, which is kept as
    measured for budgets and errors."""
    library = _library(blocks='backbone.layer1.*')

    def fake(library, choices, *args, **kwargs):
        return 20.0, [20.0 - 3.0 * len(c) + (1.0 if c else 0.0)
                      for c in choices]

    monkeypatch.setattr(latency_table, 'measure_students', fake)
    table = latency_table.measure_latency_table(library, (3, 32, 32), 64,
                                                samples=30)
    assert table.teacher_ms == 20.0
    assert abs(table.whole_ms - 20.0) > 0.1
    assert LatencyTable(64, 'cpu', 7.0).teacher_ms == 7.0


def test_no_plan_is_predicted_to_take_negative_time(monkeypatch):
    """Swaps that save more together than apart (here each one also cuts
    a fifth of what is left) make an unbounded additive fit predict an
    unmeasured plan below 0 ms (-0.2 ms with these random plans); every
    part of the fitted model is kept at 0 ms or more."""
    library = _library(blocks='backbone.layer1.*')
    own = {0: 3.0, 1: 4.0, 2: 0.0}  # ms of each candidate in place

    def truth(choice):
        alone = 2.0 + sum(own[choice[b]] if b in choice else 6.0
                          for b in library.blocks)
        return alone * (1 - 0.2 * len(choice))

    monkeypatch.setattr(latency_table, 'measure_students',
                        lambda library, choices, *args, **kwargs:
                        (truth({}), [truth(c) for c in choices]))
    table = latency_table.measure_latency_table(library, (3, 32, 32), 64,
                                                samples=16)
    for plan in itertools.product([None, 0, 1, 2], repeat=3):
        choice = {b: i for b, i in zip(library.blocks, plan) if i is not None}
        assert table.predict(choice) >= -1e-9, plan
    assert table.fit_error < 1.1


def test_students_are_timed_against_the_teacher():
    library = _library(blocks='backbone.layer3.*')
    choice = {b: 2 for b in library.blocks}  # blocks removed
    teacher_ms, (student_ms, ) = measure_students(
        library, [choice], (3, 32, 32), batch=2, min_run_time=0.05)
    assert teacher_ms > 0 and student_ms > 0


SPINNING = 'session.intra_op.allow_spinning'


@pytest.mark.slow  # exports two networks to ONNX
def test_students_are_timed_in_onnxruntime_too(monkeypatch):
    import mmrecast.deployment as deployment
    sessions = []

    def spy(path, *args, **kwargs):
        session = real(path, *args, **kwargs)
        sessions.append((path, session.get_session_options()
                         .get_session_config_entry(SPINNING)))
        return session

    real = deployment.ort_session
    monkeypatch.setattr(deployment, 'ort_session', spy)
    library = _library(blocks='backbone.layer3.*')
    choice = {b: 0 for b in library.blocks}
    teacher_ms, (student_ms, ) = measure_students(
        library, [choice], (3, 32, 32), batch=2, min_run_time=0.05,
        runtime='onnxruntime')
    assert teacher_ms > 0 and student_ms > 0
    # timed in turn, so no session's idle workers spin while the next runs
    assert [(p.rsplit('/', 1)[-1], spin) for p, spin in sessions] == [
        ('student0.onnx', '0'), ('student1.onnx', '0')
    ]


@pytest.mark.parametrize('given, expected', [
    (('torch', None, None), (64, 1)),
    (('onnxruntime', None, None), (1, 64)),  # its batch 1 reflects the work
    (('torch', 1, None), (1, 64)),  # the other batch is reported
    (('onnxruntime', 8, None), (8, 1)),
    (('onnxruntime', None, 16), (1, 16)),  # what the user gave stands
])
def test_timing_batches(given, expected):
    assert timing_batches(*given) == expected


def test_the_fit_has_twice_as_many_plans_as_unknowns(monkeypatch):
    library = _library(blocks='backbone.layer1.*')  # 9 candidates
    plans = []

    def fake(library, choices, *args, **kwargs):
        plans.extend(choices)
        return 20.0, [20.0] * len(choices)

    monkeypatch.setattr(latency_table, 'measure_students', fake)
    latency_table.measure_latency_table(library, (3, 32, 32), 64)
    assert len(plans) == 3 + 2 * 9  # uniform ones and random ones
    # with the teacher, 3 uniform plans and 15 random ones, 19 measurements
    # for 10 unknowns (an exact fit that predicts nothing) is refused
    with pytest.raises(ConfigError, match='--samples 15: .* 10 unknowns'):
        latency_table.measure_latency_table(library, (3, 32, 32), 64,
                                            samples=15)


def test_a_saved_table_is_read_back_for_its_library(tmp_path):
    library = _library(blocks='backbone.layer1.*')
    savings = {(c.block, c.index): 0.1 * n
               for n, c in enumerate(library.entries)}
    table = LatencyTable(1, 'cpu', 3.0, 'onnxruntime', savings, 0.04, 3.1)
    search = tmp_path / 'search.json'
    search.write_text(json.dumps(dict(table=table.to_dict())))
    for path in (search, tmp_path):  # the file or its folder
        assert load_latency_table(str(path), library) == table
    # a search that saved the table without its settings and fit error
    # (before tables were saved whole) is read with them from beside it
    old = dict(table=dict(whole_ms=3.0, teacher_ms=3.1,
                          savings=table.to_dict()['savings']),
               batch=1, device='cpu', runtime='onnxruntime')
    search.write_text(json.dumps(old))
    read = load_latency_table(str(search), library)
    assert read.fit_error is None  # not known
    assert read.savings == savings and read.teacher_ms == 3.1
    assert read.to_dict()['fit_error'] is None  # JSON without NaN
    assert LatencyTable.from_dict(read.to_dict()).predict(
        {'backbone.layer1.0': 1}) == pytest.approx(2.9)


def test_a_table_of_another_library_is_refused(tmp_path):
    library = _library(blocks='backbone.layer1.*')
    other = _library(blocks='backbone.layer2.*')
    table = LatencyTable(64, 'cpu', 3.0, savings={
        (c.block, c.index): 0.1 for c in other.entries})
    (tmp_path / 'search.json').write_text(
        json.dumps(dict(table=table.to_dict())))
    with pytest.raises(ConfigError, match=r'search.json: it lacks candidate '
                       r'0 of backbone.layer1.0 \(and differs at 18 '
                       r'candidates in all\), so it was timed for another '
                       'library'):
        load_latency_table(str(tmp_path), library)
    with pytest.raises(ConfigError, match='no such file'):
        load_latency_table(str(tmp_path / 'nothing.json'), library)
    (tmp_path / 'search.json').write_text(json.dumps(dict(plans=[])))
    with pytest.raises(ConfigError, match='it holds no latency table'):
        load_latency_table(str(tmp_path), library)


NARROW_RECASTERS = (dict(type='BasicBlockToConv'),
                    dict(type='BasicBlockToNarrowConv', ratio=0.5),
                    dict(type='BlockToShortcut'))


def test_a_pair_saving_counts_only_when_both_are_chosen():
    table = LatencyTable(1, 'cpu', 10.0,
                         savings={('a', 0): 2.0, ('b', 1): 0.5},
                         pair_savings={(('a', 0), ('b', 1)): 1.0})
    assert table.predict({'a': 0}) == 8.0
    assert table.predict({'a': 0, 'b': 1}) == 6.5
    again = LatencyTable.from_dict(json.loads(json.dumps(table.to_dict())))
    assert again.pair_savings == table.pair_savings
    assert again.predict({'a': 0, 'b': 1}) == 6.5


def test_narrow_convs_pair_with_the_convs_of_the_next_block():
    """A narrow conv's projection folds into a plain or narrow conv of the
    next block, never into a removed block or past the library's blocks
    (layer1.2 is followed by the teacher's layer2.0)."""
    library = _library(blocks='backbone.layer1.*', recasters=NARROW_RECASTERS)
    b0, b1, b2 = library.blocks
    assert latency_table.folding_pairs(library) == [
        ((b0, 1), (b1, 0)), ((b0, 1), (b1, 1)),
        ((b1, 1), (b2, 0)), ((b1, 1), (b2, 1))]


def test_pair_savings_are_fitted_beside_the_candidates(monkeypatch):
    library = _library(blocks='backbone.layer1.*', recasters=NARROW_RECASTERS)
    truth = {(c.block, c.index): 0.2 + 0.3 * c.index + 0.05 * n
             for n, c in enumerate(library.entries)}
    pairs = {pair: 0.4 + 0.1 * n for n, pair in
             enumerate(latency_table.folding_pairs(library))}

    def fake(library, choices, *args, **kwargs):
        return 20.0, [20.0 - sum(truth[o] for o in c.items()) - sum(
            ms for (a, b), ms in pairs.items()
            if a in c.items() and b in c.items()) for c in choices]

    monkeypatch.setattr(latency_table, 'measure_students', fake)
    table = latency_table.measure_latency_table(library, (3, 32, 32), 1,
                                                samples=60)
    assert table.savings == pytest.approx(truth)
    assert table.pair_savings == pytest.approx(pairs)
    assert table.fit_error == pytest.approx(0.0, abs=1e-9)


def test_a_span_shares_the_saving_of_its_blocks_same_module(monkeypatch):
    """Spans are plain convs, as the blocks' first candidates: the truth
    gives both the same saving, and the fit has no unknown of its own for
    the span, so the random plans it needs do not grow."""
    conv = dict(type='BasicBlockToConv')
    library = _library(blocks='backbone.layer1.*',
                       recasters=[conv, dict(type='BlockToShortcut')],
                       spans=[conv])
    truth = {(c.block, c.index): 0.4 + 0.1 * n if c.index < 2 else None
             for n, c in enumerate(library.entries)}
    for span, twin in {('backbone.layer1.0', 2): ('backbone.layer1.0', 0),
                       ('backbone.layer1.1', 2): ('backbone.layer1.1', 0)
                       }.items():
        truth[span] = truth[twin]
    plans = _additive_timing(monkeypatch, truth)
    table = latency_table.measure_latency_table(library, (3, 32, 32), 64)
    assert table.savings == pytest.approx(truth)
    assert table.fit_error == pytest.approx(0.0, abs=1e-9)
    # 1 + 6 unknowns: 2 uniform plans and 2 * 6 random ones
    assert len(plans) == 2 + 12
