# Copyright (c) mmrecast contributors. All rights reserved.
"""Latency of every library candidate in place, and of whole students."""
import copy
import os.path as osp
import statistics
import tempfile
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn
from mmengine.logging import print_log

from mmrecast.analysis import forward_fn, interleaved_times, time_call
from mmrecast.models.algorithms import CandidateLibrary
from mmrecast.models.utils import as_deployed, foldable_projections
from mmrecast.utils.errors import ConfigError
from .search_file import read_search
from .selection import plan_total, takes

__all__ = ['LatencyTable', 'measure_latency_table', 'build_student',
           'measure_students', 'timing_batches', 'load_latency_table',
           'folding_pairs']

Option = Tuple[str, int]  # (block, candidate index)
Pair = Tuple[Option, Option]


@dataclass
class LatencyTable:
    """An additive latency model of the students of a library, in ms, at
    one batch size on one device: a student's latency is ``whole_ms``
    (the model's teacher) minus the saving of each candidate it uses.

    ``pair_savings`` are the further savings of candidates of two
    consecutive blocks taken together (:func:`folding_pairs`: a projection
    folded into the next block's conv).

    ``fit_error`` is the largest relative error of the model on the plans
    it was fitted to (None: not known; older searches did not save it).
    ``teacher_ms`` is the teacher as measured with them (default
    ``whole_ms``): budgets and errors in "x teacher" refer to it,
    because a least-squares intercept can sit several percent off the one
    network that was measured alone at the edge of the plan space.
    ``samples`` and ``timing_seconds`` are the random plans and the seconds
    of timing it was fitted with (None: not known), so that a search that
    reuses it can refuse other ones.
    """
    batch: int
    device: str
    whole_ms: float
    runtime: str = 'torch'
    savings: Dict[Tuple[str, int], float] = field(default_factory=dict)
    fit_error: Optional[float] = 0.0
    teacher_ms: Optional[float] = None
    pair_savings: Dict[Pair, float] = field(default_factory=dict)
    samples: Optional[int] = None
    timing_seconds: Optional[float] = None

    def __post_init__(self) -> None:
        if self.teacher_ms is None:
            self.teacher_ms = self.whole_ms

    def predict(self, choice: Mapping[str, int]) -> float:
        """Predicted latency of the teacher with ``choice`` (block ->
        candidate index) swapped in."""
        return self.whole_ms - plan_total(
            {**self.savings, **self.pair_savings}, choice)

    def to_dict(self) -> dict:
        """The table as JSON data (``search.json``'s ``table``)."""
        return dict(batch=self.batch, device=self.device,
                    runtime=self.runtime, whole_ms=self.whole_ms,
                    teacher_ms=self.teacher_ms, fit_error=self.fit_error,
                    samples=self.samples,
                    timing_seconds=self.timing_seconds,
                    savings={f'{b}:{i}': ms
                             for (b, i), ms in self.savings.items()},
                    pair_savings={
                        f'{a}:{i}>{b}:{k}': ms
                        for ((a, i), (b, k)), ms in self.pair_savings.items()
                    })

    @classmethod
    def from_dict(cls, data: Mapping) -> 'LatencyTable':
        """The table :meth:`to_dict` wrote."""
        def option(key: str) -> Option:
            block, index = key.rsplit(':', 1)
            return block, int(index)

        savings = {option(k): float(ms) for k, ms in data['savings'].items()}
        pairs = {
            tuple(map(option, k.split('>'))): float(ms)
            for k, ms in data.get('pair_savings', {}).items()
        }
        error = data.get('fit_error')
        return cls(int(data['batch']), data['device'],
                   float(data['whole_ms']), data['runtime'], savings,
                   None if error is None else float(error),
                   float(data['teacher_ms']), pairs, data.get('samples'),
                   data.get('timing_seconds'))


def timing_batches(runtime: str,
                   batch: Optional[int] = None,
                   report_batch: Optional[int] = None) -> Tuple[int, int]:
    """The batch size of the latency model and budgets, and the second
    one reported beside it, where the user gave none.

    torch's per-operator overhead blurs the work of small networks at batch
    1, so it is timed at 64; onnxruntime's overhead is small and its
    sub-millisecond batch-1 timings repeat far better than its batch-64
    ones, so it is timed at 1 (``configs/recast_search/README.md``).
    """
    if batch is None:
        batch = 1 if runtime == 'onnxruntime' else 64
    if report_batch is None:
        report_batch = 64 if batch == 1 else 1
    return batch, report_batch


def build_student(library: CandidateLibrary,
                  choice: Mapping[str, int]) -> nn.Module:
    """A copy of the teacher with ``choice``'s trained candidates in place
    (eval mode)."""
    student = copy.deepcopy(library.teacher)
    for block, index in choice.items():
        student.set_submodule(block,
                              copy.deepcopy(library.target(block, index)))
    return student.eval()


def _onnxruntime_fns(models: Sequence[nn.Module], batch: int,
                     input_size: Sequence[int], folder: str) -> list:
    """Each model exported to ONNX in ``folder``, as an onnxruntime
    forward of ``batch`` images."""
    from mmrecast.deployment import export_onnx, ort_session
    fns = []
    for n, model in enumerate(models):
        path = osp.join(folder, f'student{n}.onnx')
        export_onnx(model.cpu(), torch.zeros(batch, *input_size), path)
        session = ort_session(path, spinning=False)  # timed in turn
        fns.append(forward_fn(batch, input_size, session=session))
    return fns


def measure_students(library: CandidateLibrary,
                     choices: Sequence[Mapping[str, int]],
                     input_size: Sequence[int],
                     batch: int,
                     device: str = 'cpu',
                     min_run_time: float = 10.0,
                     runtime: str = 'torch') -> Tuple[float, List[float]]:
    """Latency (ms) of the teacher and of each student in ``choices``.

    All are timed in turn, round by round; a student's latency is its
    median ratio to the teacher within a round times the teacher's minimum,
    so that slow spells of a shared machine, which hit a whole round,
    cancel out. ``runtime='onnxruntime'`` exports every network to ONNX
    first (seconds per network) and times onnxruntime sessions.

    Returns:
        tuple: The teacher's latency and one latency per choice.
    """
    models = [library.teacher.eval()] + [
        build_student(library, choice) for choice in choices
    ]
    with tempfile.TemporaryDirectory() as folder:
        if runtime == 'onnxruntime':
            fns = _onnxruntime_fns(models, batch, input_size, folder)
        else:
            # as deployed (as export_onnx writes them)
            fns = [forward_fn(batch, input_size, device=device,
                              model=as_deployed(m, mode='tensor'))
                   for m in models]
        times = _timed_rounds(fns, min_run_time)
    library.teacher.to('cpu')
    teacher_ms = 1000 * min(t[0] for t in times)
    return teacher_ms, [
        teacher_ms * statistics.median(t[i] / t[0] for t in times)
        for i in range(1, len(models))
    ]


def _timed_rounds(fns: list, min_run_time: float) -> List[List[float]]:
    """At least 10 rounds, about ``min_run_time`` seconds in all."""
    for fn in fns:  # warm-up (allocations, lazy initialisation)
        fn()
    one_round = sum(time_call(fn) for fn in fns)
    return interleaved_times(
        fns, max(10, int(min_run_time / max(one_round, 1e-6))), warmup=0)


def _fit_savings(blocks: Sequence[str], options: Mapping[str, List[int]],
                 rows: List[Mapping[str, int]], measured: List[float],
                 pairs: Sequence[Pair] = ()
                 ) -> Tuple[float, Dict[Option, float], Dict[Pair, float]]:
    """The additive model closest to ``measured`` (least squares) in which
    no part takes negative time.

    The model is fitted as parts: the rest of the network, each teacher
    block and each candidate, all >= 0, less a saving >= 0 of each of
    ``pairs`` taken together (``scipy.optimize.lsq_linear``); it is returned
    as the teacher's time, each candidate's saving on its block and each
    pair's further saving. An unbounded fit of the savings can predict a
    plan that was not measured (one with every cheapest candidate) at 0 ms
    or less when swaps interact; this one cannot, short of the pairs.
    """
    from scipy.optimize import lsq_linear
    columns = [(b, i) for b in blocks for i in options[b]]
    # unknowns: the rest, one per teacher block, one per candidate and pair
    design = np.array([[1.0] + [float(b not in row) for b in blocks] +
                       [float(row.get(b) == i) for b, i in columns] +
                       [-float(takes(row, pair)) for pair in pairs]
                       for row in rows])
    parts = lsq_linear(design, np.array(measured), bounds=(0, np.inf),
                       method='bvls').x
    block_ms = dict(zip(blocks, parts[1:1 + len(blocks)]))
    candidate_ms = parts[1 + len(blocks):1 + len(blocks) + len(columns)]
    return float(parts[0] + sum(block_ms.values())), {
        (b, i): float(block_ms[b] - ms)
        for (b, i), ms in zip(columns, candidate_ms)
    }, dict(zip(pairs, map(float, parts[1 + len(blocks) + len(columns):])))


def _twins(library: CandidateLibrary) -> Dict[Option, Option]:
    """Span candidate -> the regular candidate of its block built by the
    same recaster config, where there is one."""
    twins = {}
    for span in (c for c in library.entries if c.covers):
        twin = next((c for c in library.options(span.block)
                     if c.covers is None and c.recaster == span.recaster),
                    None)
        if twin is not None:
            twins[(span.block, span.index)] = (twin.block, twin.index)
    return twins


def folding_pairs(library: CandidateLibrary) -> List[Pair]:
    """Candidates of consecutive blocks whose cost changes when taken
    together: a projection of the first that folds into a conv of the
    second only then (:func:`~mmrecast.models.utils.foldable_projections`).
    Every other pair of candidates costs the sum of its parts."""

    def folds(choice):
        return len(foldable_projections(build_student(library, choice),
                                        mode='tensor'))

    alone = {(c.block, c.index): folds({c.block: c.index})
             for c in library.entries}
    return [((a.block, a.index), (b.block, b.index))
            for first, second in zip(library.blocks, library.blocks[1:])
            for a in library.options(first) for b in library.options(second)
            if folds({first: a.index, second: b.index}) >
            alone[(a.block, a.index)] + alone[(b.block, b.index)]]


def measure_latency_table(library: CandidateLibrary,
                          input_size: Sequence[int],
                          batch: int,
                          device: str = 'cpu',
                          samples: Optional[int] = None,
                          seed: int = 0,
                          min_run_time: float = 20.0,
                          runtime: str = 'torch',
                          pairs: Optional[Sequence[Pair]] = None
                          ) -> LatencyTable:
    """Fit the additive latency model to measured whole students.

    Each candidate is timed where it runs, inside a student: the teacher,
    every uniform plan and ``samples`` random plans (each block keeps its
    teacher block or takes one of its candidates at random; default: twice
    the number of candidates) are measured together
    (:func:`measure_students`), and the savings are the least squares fit
    of those latencies with no part of the network taking negative time
    (:func:`_fit_savings`), with a further saving for each of
    :func:`folding_pairs` (each in two plans at least; ``pairs``, where
    already found, are not looked for again). Timing blocks one
    by one, out of the network, mispredicted whole students by up to 20 %
    here. A span candidate shares the saving of its block's candidate of
    the same recaster config, the same module.

    Raises:
        ConfigError: Fewer than two plans per unknown of the model (a fit
            that matches every plan can predict nothing).
    """
    rng = np.random.default_rng(seed)
    options = {b: [c.index for c in library.options(b)]
               for b in library.blocks}
    # a span candidate is the same module as its block's regular candidate
    # of the same recaster: one unknown serves both
    twins = _twins(library)
    fitted = {b: [i for i in idx if (b, i) not in twins]
              for b, idx in options.items()}

    def tied(keys: Iterable[Option]) -> tuple:
        return tuple(twins.get(key, key) for key in keys)

    pairs = folding_pairs(library) if pairs is None else list(pairs)
    fitted_pairs = list(dict.fromkeys(map(tied, pairs)))
    unknowns = 1 + sum(map(len, fitted.values())) + len(fitted_pairs)
    if samples is None:
        samples = 2 * (unknowns - 1)
    choices = [{b: i for b in library.blocks if i in fitted[b]}
               for i in sorted(set().union(*fitted.values()))]
    if 1 + len(choices) + samples < 2 * unknowns:
        raise ConfigError(
            f'--samples {samples}: the latency model has {unknowns} unknowns '
            f'(one per candidate, candidate pair and the teacher); time at '
            f'least {2 * unknowns - 1 - len(choices)} random plans, so that '
            'each is fitted to two measurements')

    def random_plan() -> Dict[str, int]:
        picks = {b: int(rng.integers(-1, len(o))) for b, o in options.items()}
        return {b: options[b][k] for b, k in picks.items() if k >= 0}

    choices += [random_plan() for _ in range(samples)]
    for pair in pairs:  # each pair in two plans at least, or it is unknown
        seen = sum(takes(c, pair) for c in choices)
        choices += [{**random_plan(), **dict(pair)}
                    for _ in range(2 - seen)]
    print_log(f'latency model: timing the teacher and {len(choices)} '
              f'students at batch {batch} in {runtime} ({device})',
              logger='current')
    teacher_ms, measured = measure_students(library, choices, input_size,
                                            batch, device, min_run_time,
                                            runtime)
    rows, times = [{}] + choices, [teacher_ms] + measured
    whole_ms, savings, pair_savings = _fit_savings(
        library.blocks, fitted, [dict(tied(row.items())) for row in rows],
        times, fitted_pairs)
    savings.update({span: savings[twin] for span, twin in twins.items()})
    pair_savings = {pair: pair_savings[tied(pair)] for pair in pairs}
    table = LatencyTable(batch, device, whole_ms, runtime, savings,
                         teacher_ms=teacher_ms, pair_savings=pair_savings,
                         samples=samples, timing_seconds=min_run_time)
    table.fit_error = float(max(
        abs(table.predict(c) / ms - 1) for c, ms in zip(rows, times)))
    return table


def load_latency_table(
        path: str,
        library: CandidateLibrary,
        option: str = '--latency-table',
        fix: str = 'search without --latency-table') -> LatencyTable:
    """The latency model an earlier search of ``library`` fitted, read from
    its ``search.json`` (or the folder holding it, or the
    ``latency_table.json`` an interrupted search left).

    Timing is most of a search's time, and each fit differs a little on a
    shared machine, so searches that reuse one table (other budgets, scores
    or row limits) choose plans with the same model.

    Raises:
        ConfigError: No such file, a file without a table, or a table of
            other candidates; the line names ``option``, what gave
            ``path``, and ends with ``fix``.
    """
    path, search = read_search(path, option)
    where = f'{option} {path}'
    if 'savings' not in search.get('table', {}):
        raise ConfigError(f'{where}: it holds no latency table; give the '
                          'search.json that tools/recast_search.py wrote')
    # searches before tables were saved whole kept these beside the table
    beside = {k: search[k] for k in ('batch', 'device', 'runtime')
              if k in search}
    table = LatencyTable.from_dict({**beside, **search['table']})
    wanted = {(c.block, c.index) for c in library.entries}
    odd = sorted(wanted ^ set(table.savings))
    if odd:
        block, index = odd[0]
        side = 'lacks' if odd[0] in wanted else 'has'
        raise ConfigError(
            f'{where}: it {side} candidate {index} of {block} (and differs '
            f'at {len(odd)} candidates in all), so it was timed for another '
            f'library; {fix}')
    return table
