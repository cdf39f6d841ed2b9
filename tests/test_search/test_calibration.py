# Copyright (c) mmrecast contributors. All rights reserved.
from mmrecast.search import calibrate_latency, select_plan

# four blocks, each removable; the model thinks every removal saves 3 ms
# of a 20 ms teacher, but the last two save only 1 ms each: the cheapest
# blocks by the model are the ones it overestimates
OPTIONS = {f'b{k}': [0] for k in range(4)}
SCORES = {('b0', 0): -4.0, ('b1', 0): -3.0, ('b2', 0): -1.0, ('b3', 0): -1.0}
MODEL = {('b0', 0): 3.0, ('b1', 0): 3.0, ('b2', 0): 3.0, ('b3', 0): 3.0}
TRUTH = {('b0', 0): 3.0, ('b1', 0): 3.0, ('b2', 0): 1.0, ('b3', 0): 1.0}


def _choose(limit):
    deltas = dict(latency={k: -v for k, v in MODEL.items()})
    return select_plan(OPTIONS, SCORES, deltas, dict(latency=limit - 20.0))


def _predict(choice):
    return 20.0 - sum(MODEL[k] for k in choice.items())


def _measure(choice):
    return 20.0 - sum(TRUTH[k] for k in choice.items())


def test_a_plan_slower_than_measured_is_chosen_again_lower():
    steps = calibrate_latency(_choose, _predict, _measure, 14.0, steps=3)
    # the model's plan (b2, b3) predicts 14 ms and measures 18
    assert steps[0].choice == {'b2': 0, 'b3': 0}
    assert (steps[0].predicted, steps[0].measured) == (14.0, 18.0)
    # the limit drops by the 4 ms excess: the next plan really is 14 ms
    assert steps[1].limit == 10.0
    assert steps[-1].measured <= 14.0
    assert len(steps) == 2


def test_without_steps_the_model_is_trusted():
    steps = calibrate_latency(_choose, _predict, _measure, 14.0, steps=0)
    assert len(steps) == 1 and steps[0].measured == 18.0


def test_a_limit_no_plan_meets_ends_the_calibration():
    # 9 ms is out of reach (the model's fastest student is 8 ms, truly 12)
    steps = calibrate_latency(_choose, _predict, _measure, 9.0, steps=5)
    assert steps[-1].choice == {f'b{k}': 0 for k in range(4)}
    assert steps[-1].measured == 12.0 and len(steps) == 1


def test_a_plan_measured_too_slow_is_not_measured_again():
    # the best plan under 14 ms, b2 and b3 removed, is predicted at 13 ms
    # (the model thinks each saves 3.5) and measured at 14.2, then 13.9:
    # lowering the limit by the 0.2 ms excess alone would choose it again
    # and keep it on its second, luckier timing
    model = {**MODEL, ('b2', 0): 3.5, ('b3', 0): 3.5}
    timings = {(('b2', 0), ('b3', 0)): [14.2, 13.9]}

    def choose(limit):
        deltas = dict(latency={k: -v for k, v in model.items()})
        return select_plan(OPTIONS, SCORES, deltas,
                           dict(latency=limit - 20.0))

    def predict(choice):
        return 20.0 - sum(model[k] for k in choice.items())

    def measure(choice):  # other plans: 1 ms slower than predicted
        key = tuple(sorted(choice.items()))
        return timings[key].pop(0) if key in timings else predict(choice) + 1

    steps = calibrate_latency(choose, predict, measure, 14.0, steps=3)
    assert steps[0].choice == {'b2': 0, 'b3': 0}
    assert steps[0].measured == 14.2
    # the next plan is below 13 ms by the model: a third block goes
    assert steps[1].limit < 13.0
    assert steps[1].choice == {'b1': 0, 'b2': 0, 'b3': 0}
    assert len(steps) == 2 and steps[-1].measured <= 14.0
