# Copyright (c) mmrecast contributors. All rights reserved.
"""Choose one candidate per block: an integer program, solved by scipy."""
import re
from typing import Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple

import numpy as np

from mmrecast.utils.errors import ConfigError

__all__ = [
    'Budget', 'parse_budget', 'select_plan', 'select_plans', 'RESOURCES'
]

#: what a budget can limit
RESOURCES = ('latency', 'params', 'macs')

Option = Tuple[str, int]  # (block, candidate index); index -1 keeps it


class Budget(NamedTuple):
    """At most ``value`` of ``resource``; ``relative``: a fraction of the
    teacher's (``latency=0.5x``), else an absolute amount (ms, count)."""
    resource: str
    value: float
    relative: bool

    def limit(self, teacher_total: float) -> float:
        return self.value * teacher_total if self.relative else self.value

    def allowed_change(self, teacher_total: float,
                       base_total: Optional[float] = None) -> float:
        """The most the chosen candidates' summed deltas may add to
        ``base_total`` (a cost model's prediction for the unchanged teacher;
        default ``teacher_total``) for the student to stay within the
        budget: :func:`select_plan`'s limit. ``teacher_total`` is what
        ``x`` refers to, e.g. the teacher's measured latency."""
        base = teacher_total if base_total is None else base_total
        return self.limit(teacher_total) - base

    def __str__(self) -> str:
        unit = 'x' if self.relative else (
            'ms' if self.resource == 'latency' else '')
        return f'{self.resource}={self.value:g}{unit}'


def parse_budget(text: str) -> Budget:
    """``'latency=0.5x'`` (half the teacher's), ``'latency=12ms'``,
    ``'params=150000'``, ``'macs=0.25x'``.

    A latency needs its unit: a bare ``latency=0.5`` is refused rather than
    read as 0.5 ms, the slip of a user who meant half the teacher.
    """
    usage = (f'--budget {text!r}: write RESOURCE=FRACTIONx (of the '
             f'teacher), latency=MILLISECONDSms or params|macs=COUNT, '
             f'RESOURCE one of {", ".join(RESOURCES)} (e.g. latency=0.5x)')
    match = re.fullmatch(r'(\w+)=((?:\d+\.?\d*|\.\d+)(?:e-?\d+)?)(x|ms)?',
                         text.strip())
    if not match or match.group(1) not in RESOURCES:
        raise ConfigError(usage)
    resource, value, unit = match.groups()
    if resource == 'latency' and unit is None:
        raise ConfigError(f'--budget {text!r}: a latency needs its unit; '
                          f'did you mean latency={value}x (a fraction of '
                          f'the teacher) or latency={value}ms?')
    if unit == 'ms' and resource != 'latency':
        raise ConfigError(f'--budget {text!r}: ms is a unit of latency; '
                          f'{resource} takes a count or a fraction '
                          f'({resource}={value}x)')
    return Budget(resource, float(value), unit == 'x')


def select_plan(options: Mapping[str, Sequence[int]],
                scores: Mapping[Option, float],
                deltas: Mapping[str, Mapping[Option, float]],
                limits: Mapping[str, float],
                exclude: Sequence[Mapping[str, int]] = ()) -> Dict[str, int]:
    """The choice of at most one candidate per block that maximises the
    summed score under every limit.

    Keeping a block scores 0 and costs nothing extra; a candidate adds its
    score and its cost difference to the teacher's block (``deltas``, per
    resource). The binary program is solved exactly by HiGHS through
    ``scipy.optimize.milp``.

    Args:
        options (Mapping[str, Sequence[int]]): Block -> its candidate
            indices.
        scores (Mapping[Option, float]): (block, index) -> score (higher is
            better; usually <= 0, a loss of quality).
        deltas (Mapping[str, Mapping[Option, float]]): Resource ->
            (block, index) -> cost of the candidate minus the block's.
        limits (Mapping[str, float]): Resource -> the most the student may
            save *less* than: the allowed sum of deltas (negative: a saving
            is required).
        exclude (Sequence[Mapping[str, int]]): Choices not to return (the
            next best is found instead).

    Returns:
        dict: Block -> chosen candidate index, for swapped blocks only.

    Raises:
        ValueError: No choice meets the limits (the message gives the
            least reachable value of each).
    """
    try:
        from scipy.optimize import Bounds, LinearConstraint, milp
    except ImportError:
        raise ConfigError('the plan search needs scipy: pip install '
                          '"mmrecast[search]" (or scipy>=1.9)') from None
    variables: List[Option] = [(b, i) for b, idx in options.items()
                               for i in idx]
    blocks = list(options)
    if not variables:
        return {}
    # one row per block: at most one of its candidates (none = keep it)
    pick = np.zeros((len(blocks), len(variables)))
    for col, (block, _) in enumerate(variables):
        pick[blocks.index(block), col] = 1
    constraints = [LinearConstraint(pick, 0, 1)]
    for resource, limit in limits.items():
        row = np.array([deltas[resource][v] for v in variables])
        constraints.append(LinearConstraint(row[None], -np.inf, limit))
    for choice in exclude:
        # a "no-good" cut: differ from this choice in at least one variable
        chosen = np.array([choice.get(b) == i for b, i in variables])
        row = np.where(chosen, 1.0, -1.0)
        constraints.append(
            LinearConstraint(row[None], -np.inf, chosen.sum() - 1))
    result = milp(
        c=-np.array([scores[v] for v in variables]),
        constraints=constraints,
        integrality=np.ones(len(variables)),
        bounds=Bounds(0, 1))
    if result.status != 0 or result.x is None:
        if exclude:
            raise ValueError(f'no plan meets the budget besides the '
                             f'{len(exclude)} excluded')
        reachable = {
            r: sum(min([0.0] + [deltas[r][(b, i)] for i in options[b]])
                   for b in blocks)
            for r in limits
        }
        raise ValueError('no plan meets the budget: ' + ', '.join(
            f'{r} needs a change of at most {limits[r]:.4g}, the most any '
            f'plan changes it is {reachable[r]:.4g}' for r in limits))
    return {
        block: index
        for (block, index), x in zip(variables, result.x) if x > 0.5
    }


def select_plans(options: Mapping[str, Sequence[int]],
                 scores: Mapping[Option, float],
                 deltas: Mapping[str, Mapping[Option, float]],
                 limits: Mapping[str, float],
                 count: int) -> List[Dict[str, int]]:
    """The ``count`` best choices under the limits, best first (fewer if
    fewer exist); arguments as :func:`select_plan`, which finds each next
    one with the earlier ones excluded.

    Raises:
        ValueError: No choice meets the limits.
    """
    plans = [select_plan(options, scores, deltas, limits)]
    while len(plans) < count:
        try:
            plans.append(
                select_plan(options, scores, deltas, limits, plans))
        except ValueError:
            break
    return plans
