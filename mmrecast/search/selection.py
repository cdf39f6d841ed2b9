# Copyright (c) mmrecast contributors. All rights reserved.
"""Choose one candidate per block: an integer program, solved by scipy."""
import re
from typing import (Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple,
                    Union)

import numpy as np

from mmrecast.utils.errors import ConfigError, argument_hint

__all__ = [
    'Budget', 'JointBudget', 'RowLimit', 'UnreachableBudget', 'parse_budget',
    'budget_terms', 'format_amount',
    'row_limits', 'select_plan', 'select_plans', 'plan_total', 'takes',
    'RESOURCES'
]

#: what a budget can limit
RESOURCES = ('latency', 'params', 'macs')
_COUNT_UNITS = dict(K=1e3, M=1e6, G=1e9)


def format_amount(resource: str, value: float) -> str:
    """``value`` of ``resource`` as the search's tables print it."""
    if resource == 'latency':
        return f'{value:.4g} ms'
    if resource == 'params':
        return f'{value / 1e3:.1f}K'
    return f'{value / 1e6:.2f}M'


class UnreachableBudget(ValueError):
    """No choice meets the limits on the summed changes: ``limits`` and
    ``least``, the lowest change of each resource any choice reaches (a
    bound, every pair's saving counted), so that a caller can say how far
    the candidates go in the budget's own units."""

    def __init__(self, limits: Mapping[str, float],
                 least: Mapping[str, float]):
        self.limits, self.least = dict(limits), dict(least)
        super().__init__('no plan meets the budget: ' + ', '.join(
            f'{r} needs a change of at most {limits[r]:.4g}, the most any '
            f'plan changes it is {least[r]:.4g}' for r in limits))

    def explain(self, base: Mapping[str, float],
                teacher: Mapping[str, float]) -> str:
        """The message in amounts: ``base`` is what the changes add to,
        ``teacher`` what ``x`` refers to."""
        def amount(resource: str, change: float) -> str:
            total = base[resource] + change
            return (f'{format_amount(resource, total)} '
                    f'({total / teacher[resource]:.3g}x the teacher)')

        return 'no plan meets the budget: ' + '; '.join(
            f'{r} at most {amount(r, self.limits[r])}, the least the '
            f'candidates reach is {amount(r, self.least[r])}'
            for r in self.limits)


Option = Tuple[str, int]  # (block, candidate index); index -1 keeps it
Pair = Tuple[Option, Option]


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
        if self.relative or self.resource == 'latency':
            unit = 'x' if self.relative else 'ms'
            return f'{self.resource}={self.value:g}{unit}'
        return f'{self.resource}={self.value:.15g}'  # a count, in full


class JointBudget(NamedTuple):
    """Budgets one plan must meet together, e.g. ``latency=0.5x,params=0.3x``
    (a latency target on a device of little memory; Puzzle, too, holds
    several resources in one integer program)."""
    terms: Tuple[Budget, ...]

    def __str__(self) -> str:
        return ','.join(str(term) for term in self.terms)


#: a budget of one resource, or several met together
AnyBudget = Union[Budget, JointBudget]


def budget_terms(budget: AnyBudget) -> Tuple[Budget, ...]:
    """The single-resource budgets of ``budget``."""
    return budget.terms if isinstance(budget, JointBudget) else (budget, )


def parse_budget(text: str, where: str = '--budget') -> AnyBudget:
    """``'latency=0.5x'`` (half the teacher's), ``'latency=12ms'``,
    ``'params=150000'``, ``'macs=0.25x'``, or several of them joined by
    commas, met together (``'latency=0.5x,params=0.3x'``); errors name
    ``where`` it was given.

    A latency needs its unit: a bare ``latency=0.5`` is refused rather than
    read as 0.5 ms, the slip of a user who meant half the teacher. So is a
    budget whose every limit is 1x or more: the teacher meets it unchanged.
    """
    terms = tuple(_parse_term(term, text, where) for term in text.split(','))
    if all(term.relative and term.value >= 1 for term in terms):
        raise ConfigError(f'{where} {text!r}: the teacher itself meets it; '
                          'a student is chosen under a fraction below 1x '
                          f'(e.g. {terms[0].resource}=0.5x)')
    if len(terms) == 1:
        return terms[0]
    resources = [term.resource for term in terms]
    for resource in resources:
        if resources.count(resource) > 1:
            raise ConfigError(f'{where} {text!r}: {resource} is limited '
                              'twice; give each resource once')
    return JointBudget(terms)


def _parse_term(term: str, text: str, where: str) -> Budget:
    """One ``RESOURCE=VALUE[x|ms|K|M|G]`` of the budget ``text`` (a
    percentage is refused with its fraction)."""
    usage = (f'{where} {text!r}: write RESOURCE=FRACTIONx (of the '
             'teacher), latency=MILLISECONDSms or params|macs=COUNT '
             f'(150000 or 150K), RESOURCE one of {", ".join(RESOURCES)} '
             '(e.g. latency=0.5x; several, met together, joined by commas)')
    match = re.fullmatch(
        r'(\w+)=((?:\d+\.?\d*|\.\d+)(?:e-?\d+)?)(x|ms|%|[kKMG])?',
        term.strip())
    if not match:
        raise ConfigError(usage)
    resource, value, unit = match.groups()
    if resource not in RESOURCES:
        raise ConfigError(f'{where} {text!r}: {resource} is not a resource; '
                          f'{argument_hint(resource, list(RESOURCES))}')
    if unit == '%':
        raise ConfigError(f'{where} {text!r}: a fraction of the teacher is '
                          f'written {resource}={float(value) / 100:g}x')
    if resource == 'latency' and unit is None:
        raise ConfigError(f'{where} {text!r}: a latency needs its unit; '
                          f'did you mean latency={value}x (a fraction of '
                          f'the teacher) or latency={value}ms?')
    if unit == 'ms' and resource != 'latency':
        raise ConfigError(f'{where} {text!r}: ms is a unit of latency; '
                          f'{resource} takes a count or a fraction '
                          f'({resource}={value}x)')
    if unit in ('k', 'K', 'M', 'G'):
        if resource == 'latency':
            raise ConfigError(f'{where} {text!r}: {unit} counts parameters '
                              'or MACs; a latency is written '
                              f'latency={value}ms or a fraction, '
                              f'latency={value}x')
        # the K and M of the search's tables and mmengine's summaries
        return Budget(resource, float(value) * _COUNT_UNITS[unit.upper()],
                      False)
    return Budget(resource, float(value), unit == 'x')


class RowLimit(NamedTuple):
    """At most ``most`` blocks in a row may take one of the ``members``
    candidates; blocks taking a ``through`` candidate between them do not
    break the row.

    Why: the summed score treats swaps as independent, so an interaction
    known in advance is stated instead. E.g. grouped convs in a row, a
    removed block (an identity) between them or not, never mix their
    groups; a single swap, scored with the teacher's blocks around it,
    cannot show that.
    """
    members: Mapping[str, Sequence[int]]  # block -> candidate indices
    through: Mapping[str, Sequence[int]]
    most: int

    def rows(self, blocks: Sequence[str],
             variables: Sequence[Option]) -> List[Tuple[np.ndarray, float]]:
        """Linear rows ``(a, b)``, ``a @ x <= b``: for every window of
        ``L`` consecutive blocks, members + ``L`` * (members + through)
        <= ``most`` + ``L`` * ``L``. When every block of the window takes
        a member or a through candidate this is members <= ``most``; any
        other block in it lifts the bound past ``L``."""
        column = {v: k for k, v in enumerate(variables)}
        rows = []
        for start in range(len(blocks)):
            for stop in range(start + self.most + 1, len(blocks) + 1):
                window = blocks[start:stop]
                if not all(self.members.get(b) or self.through.get(b)
                           for b in window):
                    break  # a block with neither kind of candidate ends rows
                size = len(window)
                row = np.zeros(len(variables))
                for block in window:
                    for index in self.members.get(block, ()):
                        row[column[(block, index)]] = 1 + size
                    for index in self.through.get(block, ()):
                        row[column[(block, index)]] = size
                rows.append((row, self.most + size * size))
        return rows


def row_limits(names: Mapping[str, Sequence[str]],
               configs: Sequence[Mapping]) -> List[RowLimit]:
    """:class:`RowLimit` s from ``search_cfg.row_limits``.

    Args:
        names (Mapping[str, Sequence[str]]): Block -> the names of its
            candidates (:func:`~mmrecast.search.uniform_name`), by index.
        configs (Sequence[Mapping]): ``dict(candidates=[NAME, ...],
            through=[NAME, ...], most=N)`` each.

    Raises:
        ConfigError: A field is missing or a name is no candidate's.
    """
    known = {n for block_names in names.values() for n in block_names}
    limits = []
    for k, config in enumerate(configs):
        where = f'search_cfg.row_limits[{k}]'
        unknown = set(config) - {'candidates', 'through', 'most'}
        if unknown or not config.get('candidates') or \
                not isinstance(config.get('most'), int) or config['most'] < 1:
            raise ConfigError(
                f'{where} = {dict(config)!r}: write dict(candidates=[NAME, '
                '...], through=[NAME, ...], most=N), N >= 1')
        wanted = list(config['candidates']) + list(config.get('through', []))
        missing = [n for n in wanted if n not in known]
        both = set(config['candidates']) & set(config.get('through', []))
        if both:
            raise ConfigError(f'{where}: {sorted(both)} are both counted '
                              'and passed through; name each in one list')
        if missing:
            raise ConfigError(f'{where}: {missing} name no candidate; the '
                              f'candidates are {sorted(known)}')

        def indices(field):
            return {b: [i for i, n in enumerate(block_names)
                        if n in config.get(field, ())]
                    for b, block_names in names.items()}

        limits.append(
            RowLimit(indices('candidates'), indices('through'),
                     config['most']))
    return limits


def takes(choice: Mapping[str, int], key) -> bool:
    """Whether ``choice`` takes ``key``: an option ``(block, index)``, or a
    pair of options, both of them."""
    options = key if isinstance(key[0], tuple) else (key, )
    return all(choice.get(block) == index for block, index in options)


def plan_total(values: Mapping, choice: Mapping[str, int]) -> float:
    """The sum of ``values`` (a score or delta per option, and per pair of
    options as :func:`select_plan` takes them) over what ``choice``
    :func:`takes`."""
    return sum(value for key, value in values.items() if takes(choice, key))


def select_plan(options: Mapping[str, Sequence[int]],
                scores: Mapping[Option, float],
                deltas: Mapping[str, Mapping[Option, float]],
                limits: Mapping[str, float],
                exclude: Sequence[Mapping[str, int]] = (),
                rows: Sequence[RowLimit] = (),
                requires: Optional[Mapping[Option, Option]] = None
                ) -> Dict[str, int]:
    """The choice of at most one candidate per block that maximises the
    summed score under every limit.

    Keeping a block scores 0 and costs nothing extra; a candidate adds its
    score and its cost difference to the teacher's block (``deltas``, per
    resource). The binary program is solved exactly by HiGHS through
    ``scipy.optimize.milp``.

    Args:
        options (Mapping[str, Sequence[int]]): Block -> its candidate
            indices.
        scores (Mapping): (block, index) -> score (higher is better;
            usually <= 0, a loss of quality); and (option, option) -> the
            further score of a pair chosen together, where known.
        deltas (Mapping[str, Mapping]): Resource -> (block, index) -> cost
            of the candidate minus the block's; and (option, option) -> the
            further change when both are chosen, for pairs that interact
            (a folded projection).
        limits (Mapping[str, float]): Resource -> the most the student may
            save *less* than: the allowed sum of deltas (negative: a saving
            is required).
        exclude (Sequence[Mapping[str, int]]): Choices not to return (the
            next best is found instead).
        rows (Sequence[RowLimit]): Candidates that may not follow each
            other more than so many times.
        requires (Mapping[Option, Option], optional): Options chosen only
            together with another (a span candidate with the removal of
            the block it covers).

    Returns:
        dict: Block -> chosen candidate index, for swapped blocks only.

    Raises:
        UnreachableBudget: No choice meets the limits, though no row
            limit or combination of limits is to blame.
        ValueError: No choice meets the limits otherwise.
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
    # a pair's term is a product of two binaries, linearised exactly with
    # one more variable: y <= x_a, y <= x_b, y >= x_a + x_b - 1
    pairs: List[Pair] = sorted({
        key for values in [scores, *deltas.values()] for key in values
        if isinstance(key[0], tuple) and all(o in variables for o in key)
    })
    size = len(variables) + len(pairs)
    # one row per block: at most one of its candidates (none = keep it)
    pick = np.zeros((len(blocks), size))
    for col, (block, _) in enumerate(variables):
        pick[blocks.index(block), col] = 1
    constraints = [LinearConstraint(pick, 0, 1)]
    for k, pair in enumerate(pairs):
        both = np.zeros(size)
        both[len(variables) + k] = -1
        for option in pair:
            row = np.zeros(size)
            row[len(variables) + k], row[variables.index(option)] = 1, -1
            constraints.append(LinearConstraint(row[None], -np.inf, 0))
            both[variables.index(option)] = 1
        constraints.append(LinearConstraint(both[None], -np.inf, 1))
    for resource, limit in limits.items():
        row = np.array([deltas[resource][v] for v in variables] +
                       [deltas[resource].get(p, 0.0) for p in pairs])
        constraints.append(LinearConstraint(row[None], -np.inf, limit))
    for option, needed in (requires or {}).items():
        if option in variables:  # x_option <= x_needed (0 if not offered)
            row = np.zeros(size)
            row[variables.index(option)] = 1
            if needed in variables:
                row[variables.index(needed)] = -1
            constraints.append(LinearConstraint(row[None], -np.inf, 0))
    for row_limit in rows:
        for row, bound in row_limit.rows(blocks, variables):
            row = np.concatenate([row, np.zeros(len(pairs))])
            constraints.append(LinearConstraint(row[None], -np.inf, bound))
    for choice in exclude:
        # a "no-good" cut: differ from this choice in at least one variable
        chosen = np.array([choice.get(b) == i for b, i in variables])
        row = np.concatenate([np.where(chosen, 1.0, -1.0),
                              np.zeros(len(pairs))])
        constraints.append(
            LinearConstraint(row[None], -np.inf, chosen.sum() - 1))
    result = milp(
        c=-np.array([scores[v] for v in variables] +
                    [scores.get(p, 0.0) for p in pairs]),
        constraints=constraints,
        integrality=np.ones(size),
        bounds=Bounds(0, 1))
    if result.status != 0 or result.x is None:
        if exclude:
            raise ValueError(f'no plan meets the budget besides the '
                             f'{len(exclude)} excluded')
        reachable = {  # with every pair's saving: a bound, not a plan
            r: sum(min([0.0] + [deltas[r][(b, i)] for i in options[b]])
                   for b in blocks) +
            sum(min(0.0, deltas[r].get(p, 0.0)) for p in pairs)
            for r in limits
        }
        if rows and all(reachable[r] <= limits[r] for r in limits):
            raise ValueError('no plan meets the budget within '
                             'search_cfg.row_limits; loosen them or the '
                             'budget')
        if len(limits) > 1 and all(reachable[r] <= limits[r]
                                   for r in limits):
            raise ValueError(f'no plan meets {" and ".join(limits)} '
                             'together, though each alone is reachable; '
                             'loosen one of them')
        raise UnreachableBudget(limits, reachable)
    return {
        block: index
        for (block, index), x in zip(variables, result.x[:len(variables)])
        if x > 0.5
    }


def select_plans(options: Mapping[str, Sequence[int]],
                 scores: Mapping[Option, float],
                 deltas: Mapping[str, Mapping[Option, float]],
                 limits: Mapping[str, float],
                 count: int,
                 rows: Sequence[RowLimit] = (),
                 requires: Optional[Mapping[Option, Option]] = None
                 ) -> List[Dict[str, int]]:
    """The ``count`` best choices under the limits, best first (fewer if
    fewer exist); arguments as :func:`select_plan`, which finds each next
    one with the earlier ones excluded.

    Raises:
        ValueError: No choice meets the limits.
    """
    plans = [select_plan(options, scores, deltas, limits, rows=rows,
                         requires=requires)]
    while len(plans) < count:
        try:
            plans.append(
                select_plan(options, scores, deltas, limits, plans, rows,
                            requires))
        except ValueError:
            break
    return plans
