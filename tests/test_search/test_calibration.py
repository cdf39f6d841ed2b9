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
