# Copyright (c) mmrecast contributors. All rights reserved.
import itertools

from matplotlib.figure import Figure

from mmrecast.search.pareto import (latency_checks, on_front, pareto_table,
                                    plot_pareto)


def _plan(name, kind, predicted, measured, score):
    return dict(name=name, kind=kind, choice={'a': 0}, predicted_ms=predicted,
                measured_ms=measured, measured_ms_b1=measured / 4,
                score=score, params=1e5, macs=2e7)


PLANS = [
    _plan('latency=0.5x', 'chosen', 5.0, 5.0, -1.0),
    _plan('latency=0.3x', 'chosen', 3.0, 4.0, -2.0),
    _plan('all conv', 'uniform', 6.0, 6.0, -3.0),
]


def test_a_plan_is_on_the_front_unless_another_is_faster_and_better():
    assert on_front(PLANS) == [True, True, False]


def test_the_table_gives_the_error_as_fractions_of_each_teacher():
    # the fit's teacher 10 ms, the plans' teacher 12 ms: 0.5x predicted,
    # 5 / 12 measured
    rows = pareto_table(PLANS, 10.0, 12.0, 3.0, 1).splitlines()
    assert rows[0].startswith('| plan | swapped | predicted ms |')
    assert rows[2] == ('| latency=0.5x | 1 | 5.000 | 5.000 | 0.42 | +20.0% '
                       '| 1.250 | 0.42 | -1.0000 | - | 100.0K | 20.00M | * |')
    assert len(rows) == 2 + len(PLANS)


def test_each_budgets_plan_gets_a_latency_check_flagged_above_10_percent():
    lines = latency_checks(PLANS, 10.0, 10.0)
    assert lines == [
        'latency check latency=0.5x: predicted 0.500x (5.000 ms), measured '
        '0.500x (5.000 ms) the teacher: +0.0%',
        'latency check latency=0.3x: predicted 0.300x (3.000 ms), measured '
        '0.400x (4.000 ms) the teacher: -25.0%, above 10 %',
    ]


def test_names_of_plans_close_together_are_drawn_apart(tmp_path, monkeypatch):
    # two uniform plans 0.04x apart at about the same score (ResNet-20's
    # all-conv and all-factorized) once printed their names over each
    # other, and moving one down put it over a budget's name
    boxes = []
    save = Figure.savefig

    def spy(fig, *args, **kwargs):
        renderer = fig.canvas.get_renderer()
        boxes.extend(text.get_window_extent(renderer)
                     for text in fig.axes[0].texts)
        return save(fig, *args, **kwargs)

    monkeypatch.setattr(Figure, 'savefig', spy)
    plans = [
        _plan('all BasicBlockToConv', 'uniform', 4.5, 4.5, -0.92),
        _plan('all BasicBlockToFactorizedConv', 'uniform', 4.1, 4.1, -0.87),
        _plan('latency=0.35x', 'chosen', 3.3, 3.3, -1.76),
        _plan('all BlockToShortcut', 'uniform', 1.1, 1.1, -8.0),
    ]
    plot_pareto(plans, 10.0, 'kl', str(tmp_path / 'pareto.png'))
    assert len(boxes) == 4
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
