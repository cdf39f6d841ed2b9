# Copyright (c) mmrecast contributors. All rights reserved.
"""One plan search over a trained candidate library."""
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

import numpy as np

from mmrecast.models.algorithms import CandidateLibrary
from mmrecast.utils.errors import ConfigError
from .calibration import CalibrationStep, calibrate_latency
from .costs import Costs, candidate_costs
from .latency_table import LatencyTable, measure_students
from .plan_writer import uniform_plans
from .scores import score_plans
from .selection import (AnyBudget, Budget, RowLimit, UnreachableBudget,
                        budget_terms, format_amount, plan_total, select_plan,
                        select_plans)

__all__ = [
    'FRONTIER', 'Timing', 'ChosenPlan', 'PlanSearch', 'check_budgets'
]

#: latency budgets (x teacher) that trace the frontier between the budgets
FRONTIER = tuple(float(f) for f in np.round(np.arange(0.30, 1.0, 0.05), 2))


class Timing(NamedTuple):
    """Where and how students are timed: ``runtime`` (``'torch'`` or
    ``'onnxruntime'``) on ``device``, at ``batch`` (the budgets') and
    ``report_batch`` (reported only). ``seconds`` is the latency model's
    timing time: a calibration step times for a quarter of it, the final
    measurement at each batch size for half."""
    runtime: str
    device: str
    batch: int
    report_batch: int
    seconds: float


class ChosenPlan(NamedTuple):
    """A budget's plan (a ``search.json`` entry), the calibration steps
    that held its latency budget against measurements, and the joint KL of
    each plan it was reranked among (empty without reranking)."""
    plan: dict
    calibration: List[CalibrationStep]
    joint_kls: List[float]


class PlanSearch:
    """Choose, per budget, one candidate per block of a trained library.

    The candidates' summed ``scores`` are maximised under a budget on the
    latency the fitted ``table`` predicts, or on parameters or MACs
    counted on the candidates; a latency budget's plan is then measured
    and, while slower than the budget, chosen again under a lower limit
    (``calibrate`` times at most). With ``rerank`` > 1 the best plans by
    summed score are built and the one closest to the teacher on the
    held-out images is kept, since the sum assumes that swaps do not
    interact.

    Args:
        library (CandidateLibrary): The trained library.
        scores (dict): ``(block, index)`` -> score, higher is better (and
            ``(option, option)`` -> a pair's further score, where known).
        table (LatencyTable): The fitted latency model.
        timing (Timing): Where plans are measured.
        held_out (Iterable[dict]): Labelled held-out batches, for reranking
            and the joint scores.
        max_batches (int, optional): Held-out batches to use.
        rows (Sequence[RowLimit]): Limits on candidates in a row.
        calibrate (int): Latency re-choices at most per budget (0: trust
            the model).
        rerank (int): Plans built per budget, at least 1.
        costs (tuple, optional): :func:`~mmrecast.search.candidate_costs`
            of ``table``, where already counted.

    Raises:
        ValueError: ``rerank`` below 1 or ``calibrate`` below 0.
    """

    def __init__(self,
                 library: CandidateLibrary,
                 scores: Dict,
                 table: LatencyTable,
                 timing: Timing,
                 held_out: Iterable[dict],
                 max_batches: Optional[int] = None,
                 rows: Sequence[RowLimit] = (),
                 calibrate: int = 3,
                 rerank: int = 1,
                 costs: Optional[Costs] = None):
        if rerank < 1 or calibrate < 0:
            raise ValueError(f'PlanSearch(rerank={rerank}, calibrate='
                             f'{calibrate}): rerank builds at least one plan '
                             'per budget; calibrate re-chooses 0 or more '
                             'times')
        self.library = library
        self.scores = scores
        self.table = table
        self.timing = timing
        self.held_out = held_out
        self.max_batches = max_batches
        self.rows = rows
        self.calibrate = calibrate
        self.rerank = rerank
        self.totals, self.deltas = costs or candidate_costs(
            library, table, library.input_size)
        self.options = _options(library)
        self.requires = library.requirements()
        # "x teacher" is the measured teacher; the deltas add to the
        # model's teacher (its intercept), which may sit a few percent off
        self.teacher = dict(self.totals, latency=table.teacher_ms)

    def plan(self, name: str, kind: str, choice: Dict[str, int]) -> dict:
        """A ``search.json`` entry: the choice with its predicted latency,
        summed score, parameters and MACs."""
        return dict(
            name=name, kind=kind, choice=choice,
            predicted_ms=self.table.predict(choice),
            score=plan_total(self.scores, choice),
            params=self.totals['params'] +
            plan_total(self.deltas['params'], choice),
            macs=self.totals['macs'] + plan_total(self.deltas['macs'], choice))

    def limit(self, budget: AnyBudget) -> Dict[str, float]:
        """The budget as a limit on the summed deltas of each of its
        resources."""
        return {
            t.resource: t.allowed_change(self.teacher[t.resource],
                                         self.totals[t.resource])
            for t in budget_terms(budget)
        }

    def best(self, limits: Dict[str, float]) -> Dict[str, int]:
        """The best choice by summed score under ``limits``."""
        return select_plan(self.options, self.scores, self.deltas, limits,
                           rows=self.rows, requires=self.requires)

    def measure(self, choice: Dict[str, int]) -> float:
        """The choice's measured latency, in the units of the fit's
        teacher (the machine's speed drifts between timings)."""
        t = self.timing
        now, (ms, ) = measure_students(self.library, [choice],
                                       self.library.input_size, t.batch,
                                       t.device, t.seconds / 4, t.runtime)
        return ms / now * self.table.teacher_ms

    def calibrated(self, budget: AnyBudget
                   ) -> Tuple[Dict[str, float], List[CalibrationStep]]:
        """The budget's limits, the latency one lowered until its plan
        measures within the budget (the others held), and the steps taken
        (none without a latency budget, or without calibration)."""
        limits = self.limit(budget)
        latency = [t for t in budget_terms(budget) if t.resource == 'latency']
        if not latency or not self.calibrate:
            return limits, []
        whole = self.table.whole_ms
        steps = calibrate_latency(
            lambda ms: self.best(dict(limits, latency=ms - whole)),
            self.table.predict, self.measure,
            latency[0].limit(self.table.teacher_ms), self.calibrate)
        return dict(limits, latency=steps[-1].limit - whole), steps

    def choose(self, budget: AnyBudget) -> ChosenPlan:
        """The budget's plan (every term of a joint budget met), calibrated
        and reranked.

        Raises:
            ValueError: No plan meets the budget, or the teacher itself
                does (no student to choose).
        """
        terms = budget_terms(budget)
        try:
            limits, steps = self.calibrated(budget)
            best = select_plans(self.options, self.scores, self.deltas,
                                limits, self.rerank, self.rows,
                                self.requires)
        except UnreachableBudget as error:
            raise ValueError(f'{error.explain(self.totals, self.teacher)}'
                             f'{_absolute_hint(terms, self.totals)}') from None
        except ValueError as error:
            raise ValueError(
                f'{error}{_absolute_hint(terms, self.totals)}') from None
        if not best[0]:
            raise ValueError(_teacher_meets(terms, self.teacher))
        rank, measured, kls = 0, {}, []
        if len(best) > 1:
            scored = self.joint(best)
            kls = [j['kl'] for j in scored]
            rank = int(np.argmin(kls))
            measured = dict(joint_kl=kls[rank],
                            joint_top1=scored[rank]['top1'])
        plan = dict(self.plan(str(budget), 'chosen', best[rank]),
                    rank=rank + 1, of=len(best), **measured)
        return ChosenPlan(plan, steps, kls)

    def uniform(self) -> List[dict]:
        """The hand-made baselines: each candidate in every block."""
        return [self.plan(name, 'uniform', choice)
                for name, choice in uniform_plans(self.library)]

    def frontier(self, plans: Sequence[dict],
                 fractions: Sequence[float] = FRONTIER) -> List[dict]:
        """The plans of latency budgets ``fractions`` (uncalibrated) that
        are not among ``plans``: the frontier between the budgets."""
        seen = {tuple(sorted(p['choice'].items())) for p in plans}
        names = {p['name'] for p in plans}
        found = []
        for fraction in fractions:
            budget = Budget('latency', fraction, relative=True)
            try:
                choice = self.best(self.limit(budget))
            except ValueError:
                continue
            key = tuple(sorted(choice.items()))
            if key not in seen:
                seen.add(key)
                name = str(budget)
                if name in names:  # a budget's own plan, calibrated
                    name += ' uncalibrated'
                found.append(self.plan(name, 'frontier', choice))
        return found

    def joint(self, choices: Sequence[Dict[str, int]]) -> List[dict]:
        """Each choice's KL and top-1 on the held-out images, all of its
        blocks swapped at once."""
        return score_plans(self.library, choices, self.held_out,
                           self.max_batches)

    def measure_all(self, plans: Sequence[dict]) -> Tuple[float, float]:
        """Fill in every plan's measured latency at both batch sizes, and
        the joint scores of the plans that will be written (not the
        frontier's); returns the teacher's latency at each batch size."""
        built = [p for p in plans
                 if p['kind'] != 'frontier' and 'joint_kl' not in p]
        for p, scored in zip(built, self.joint([p['choice'] for p in built])):
            p['joint_kl'], p['joint_top1'] = scored['kl'], scored['top1']
        t = self.timing
        teacher = []
        for batch, key in ((t.batch, 'measured_ms'),
                           (t.report_batch, f'measured_ms_b{t.report_batch}')):
            ms, measured = measure_students(
                self.library, [p['choice'] for p in plans],
                self.library.input_size, batch, t.device, t.seconds / 2,
                t.runtime)
            teacher.append(ms)
            for p, value in zip(plans, measured):
                p[key] = value
        return teacher[0], teacher[1]


def _options(library: CandidateLibrary) -> Dict[str, List[int]]:
    """Block -> its candidate indices: the choices of the program."""
    return {b: [c.index for c in library.options(b)] for b in library.blocks}


def _absolute_hint(terms: Sequence[Budget], totals: Dict[str, float]) -> str:
    """For a budget no plan meets: how each absolute term below 1 compares
    with the teacher, the slip of a user who meant a fraction."""
    return ''.join(
        f'; {t} is absolute (the teacher has '
        f'{format_amount(t.resource, totals[t.resource])}), a fraction of '
        'the teacher is written '
        f'{t.resource}={t.value:g}x' for t in terms
        if not t.relative and t.value < 1)


def _teacher_meets(terms: Sequence[Budget], teacher: Dict[str, float]) -> str:
    """Why a budget the unchanged teacher meets has no plan."""
    has = ', '.join(
        f'{t.resource} {format_amount(t.resource, teacher[t.resource])}'
        for t in terms)
    return (f'the teacher itself meets it ({has}), so no block needs a '
            'swap; give a budget below the teacher')


def check_budgets(library: CandidateLibrary,
                  budgets: Sequence[AnyBudget],
                  costs: Costs,
                  rows: Sequence[RowLimit] = (),
                  teacher: Optional[Dict[str, float]] = None) -> None:
    """Refuse a budget no plan meets, in the resources ``costs`` counts,
    before the candidates are scored (minutes): sizes (:func:`size_costs`)
    before the latency model is timed, latency
    (:func:`~mmrecast.search.candidate_costs`) once it is fitted.

    Args:
        library (CandidateLibrary): The library.
        budgets (Sequence): The budgets; a term of a resource ``costs``
            does not count is left out.
        costs (tuple): ``(totals, deltas)``, the unchanged teacher's
            totals and each option's change.
        rows (Sequence[RowLimit]): Limits on candidates in a row.
        teacher (dict, optional): What ``x`` refers to, per resource
            (default: ``totals``; the measured teacher for latency).

    Raises:
        ConfigError: No plan meets a budget's counted terms, or the teacher
            meets a budget whose every term is counted; in one line naming
            the budget.
    """
    totals, deltas = costs
    teacher = teacher or totals
    options = _options(library)
    scores = {(c.block, c.index): 0.0 for c in library.entries}
    for budget in budgets:
        terms = [t for t in budget_terms(budget) if t.resource in totals]
        if not terms:
            continue
        limits = {
            t.resource: t.allowed_change(teacher[t.resource],
                                         totals[t.resource])
            for t in terms
        }
        whole = len(terms) == len(budget_terms(budget))
        if whole and all(limit >= 0 for limit in limits.values()):
            raise ConfigError(f'--budget {budget}: '
                              f'{_teacher_meets(terms, teacher)}')
        try:
            select_plan(options, scores, deltas, limits, rows=rows,
                        requires=library.requirements())
        except ValueError as error:
            if isinstance(error, UnreachableBudget):
                error = error.explain(totals, teacher)
            raise ConfigError(f'--budget {budget}: {error}'
                              f'{_absolute_hint(terms, totals)}') from None
