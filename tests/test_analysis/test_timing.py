# Copyright (c) mmrecast contributors. All rights reserved.
import time

from mmrecast.analysis import interleaved_times


def test_interleaved_times_vary_the_order_and_keep_each_time_in_place():
    calls = []

    def sleeper(i, seconds):
        def call():
            calls.append(i)
            time.sleep(seconds)
        return call

    rounds = interleaved_times(
        [sleeper(0, 0), sleeper(1, 0.05), sleeper(2, 0)], reps=6, warmup=1)
    assert calls[:3] == [0, 1, 2]  # the warm-up
    orders = [tuple(calls[i:i + 3]) for i in range(3, len(calls), 3)]
    assert len(orders) == 6 and all(sorted(o) == [0, 1, 2] for o in orders)
    assert len(set(orders)) > 1  # not one fixed order
    # each round's times stay in the order of the functions
    assert all(r[1] >= 0.05 > max(r[0], r[2]) for r in rounds)
