# Copyright (c) mmrecast contributors. All rights reserved.
"""Hold a latency budget against measurements of the chosen plan."""
from typing import Callable, Dict, List, NamedTuple

__all__ = ['CalibrationStep', 'calibrate_latency']


class CalibrationStep(NamedTuple):
    """One plan chosen under a limit on the model's latency, and measured
    (both in ms)."""
    limit: float
    predicted: float
    measured: float
    choice: Dict[str, int]


def calibrate_latency(choose: Callable[[float], Dict[str, int]],
                      predict: Callable[[Dict[str, int]], float],
                      measure: Callable[[Dict[str, int]], float],
                      target: float, steps: int) -> List[CalibrationStep]:
    """Choose a plan under the latency model, measure it, and while it is
    slower than ``target`` choose again under a limit lowered by the excess
    (and below that plan's prediction, so that each plan is measured once).

    The solver is biased towards plans the model thinks faster than they
    are: among many plans of one predicted latency it prefers those whose
    savings the noisy fit overestimated (the optimiser's curse). Measuring
    the chosen plan itself removes that bias from the budget.

    Args:
        choose (Callable): Limit on the predicted latency -> the best plan
            under it; raises ``ValueError`` when no plan meets it.
        predict (Callable): Plan -> the model's latency.
        measure (Callable): Plan -> its measured latency, in the units of
            ``target``.
        target (float): The budget.
        steps (int): How many times the limit may be lowered.

    Returns:
        list[CalibrationStep]: Every plan chosen, in order; the last is the
        calibrated one (slower than ``target`` only when ``steps`` ran out
        or no plan meets a lower limit).
    """
    limit = target
    choice = choose(limit)
    history = [
        CalibrationStep(limit, predict(choice), measure(choice), choice)
    ]
    while history[-1].measured > target and len(history) <= steps:
        slow = history[-1]
        # below the slow plan's own prediction too: with the same plan
        # chosen again, a second noisy timing could let it through
        limit = min(limit - (slow.measured - target),
                    slow.predicted - 1e-3 * target)
        try:
            choice = choose(limit)
        except ValueError:
            break
        history.append(
            CalibrationStep(limit, predict(choice), measure(choice), choice))
    return history
