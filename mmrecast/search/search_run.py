# Copyright (c) mmrecast contributors. All rights reserved.
"""A whole plan search, from a trained library to its plan folders: what
``tools/recast_search.py`` runs."""
import json
import os
import os.path as osp
from typing import (Any, Dict, Iterable, List, Mapping, Optional, Sequence,
                    Tuple)

from mmengine.config import Config
from mmengine.logging import print_log

from mmrecast.models.algorithms import CandidateLibrary
from mmrecast.utils.checkpoint import write_text_atomically
from mmrecast.utils.config_loader import build_config_loader
from mmrecast.utils.errors import ConfigError
from .costs import candidate_costs, size_costs
from .latency_table import (LatencyTable, Pair, folding_pairs,
                            load_latency_table, measure_latency_table)
from .library_loader import load_searched_library
from .pareto import latency_checks, pareto_table, plot_search, runtime_label
from .plan_search import ChosenPlan, PlanSearch, Timing, check_budgets
from .plan_writer import candidate_names, search_configs, write_search_plan
from .scores import pair_scores, score_candidates, search_scores
from .search_settings import SearchSettings, search_settings
from .selection import AnyBudget, row_limits

__all__ = ['RESUME_TABLE', 'run_search', 'search_summary']

#: the latency model of a search not yet finished, in its work dir
RESUME_TABLE = 'latency_table.json'


def _fit_error(error: Optional[float]) -> str:
    """A latency model's largest error on its plans (unknown in tables of
    searches that did not save it)."""
    return 'unknown' if error is None else f'{error:.1%}'


def _reused_table(library: CandidateLibrary, given: Dict[str, Any],
                  settings: SearchSettings, work_dir: str,
                  latency_table: Optional[str]) -> Optional[LatencyTable]:
    """``latency_table``'s model, or the one an interrupted search into
    ``work_dir`` fitted (None: neither). Its runtime, batch and device
    become the search's, written into ``given``, and an interrupted
    search's random plans and seconds of timing too (it goes on as it
    began); a different one given on the command line or in ``search_cfg``
    is refused."""
    path = latency_table or osp.join(work_dir, RESUME_TABLE)
    timed_with = ['runtime', 'batch', 'device']
    if latency_table:
        option, fix, note = '--latency-table', 'drop one of them', ''
        table = load_latency_table(path, library)
    elif osp.isfile(path):
        option = 'the latency model of an interrupted search,'
        fix = f'delete {path} to time again'
        note = (', fitted by an interrupted search into this work dir; '
                'delete it to time again')
        table = load_latency_table(path, library, option, fix)
        timed_with += ['samples', 'timing_seconds']
    else:
        return None
    for name in timed_with:
        value, timed = given.get(name), getattr(table, name)
        where = f'--{name.replace("_", "-")} {value}'
        if value is None:
            value = getattr(settings, name, None)
            where = f'search_cfg.{name}={value!r}'
        if timed is None:  # tables of older searches did not keep it
            continue
        if value is not None and value != timed:
            raise ConfigError(f'{where}: {option} {path} was timed with '
                              f'{name} {timed}; {fix}')
        given[name] = timed
    print_log(f'latency model: read from {path}{note} (batch '
              f'{table.batch} in {table.runtime}, {table.device}; its '
              f'largest error on the plans it was fitted to '
              f'{_fit_error(table.fit_error)})', logger='current')
    return table


def _chosen_lines(chosen: ChosenPlan, teacher_ms: float) -> List[str]:
    """How a budget's plan was held against measurements (in the units of
    the fit's teacher, ``teacher_ms``) and reranked."""
    name = chosen.plan['name']
    lines = [
        f'{name}: calibration {n}: limit {step.limit:.3f} ms, plan '
        f'predicted {step.predicted:.3f} ms, measured {step.measured:.3f} '
        f'ms ({step.measured / teacher_ms:.3f}x the teacher)'
        for n, step in enumerate(chosen.calibration)
    ]
    if chosen.joint_kls:
        kls = ' '.join(f'{kl:.4f}' for kl in chosen.joint_kls)
        lines.append(f'{name}: joint KL of the {len(chosen.joint_kls)} best '
                     f'plans by summed score: {kls}; number '
                     f'{chosen.plan["rank"]} is kept')
    return lines


def _scores(library: CandidateLibrary, loader: Iterable[dict],
            opt: SearchSettings,
            pairs: List[Pair]) -> Tuple[float, List[dict], Dict]:
    """The teacher's held-out top-1, each candidate's scores (a row each)
    and what the search maximises: ``opt.score`` per candidate, and per
    folding pair where ``opt.score_pairs``."""
    candidates = sum(len(library.options(b)) for b in library.blocks)
    print_log(f'scoring {candidates} candidates of {len(library.blocks)} '
              'blocks on the held-out images', logger='current')
    teacher_top1, per_candidate = score_candidates(library, loader,
                                                   opt.max_batches)
    scores = search_scores(per_candidate, opt.score)
    if opt.score_pairs and pairs:
        print_log(f'scoring {len(pairs)} folding pairs of candidates '
                  'swapped together', logger='current')
        scores.update(pair_scores(library, pairs, scores, opt.score,
                                  teacher_top1, loader, opt.max_batches))
    return teacher_top1, per_candidate, scores


def _chosen_plans(search: PlanSearch,
                  budgets: Sequence[AnyBudget]) -> List[dict]:
    """Each budget's plan, its calibration and reranking logged."""
    plans = []
    for budget in budgets:
        try:
            chosen = search.choose(budget)
        except ValueError as error:
            raise ConfigError(f'--budget {budget}: {error}') from None
        for line in _chosen_lines(chosen, search.table.teacher_ms):
            print_log(line, logger='current')
        plans.append(chosen.plan)
    return plans


def run_search(cfg: Config,
               config: str,
               checkpoint: Optional[str],
               work_dir: str,
               given: Mapping[str, Any],
               latency_table: Optional[str] = None) -> dict:
    """Search the plans of the library config ``cfg`` (read from the file
    ``config``) trained into ``checkpoint``, and write them to
    ``work_dir``.

    Budgets no plan meets are refused before the minutes of work: sizes
    before the timing, latency before the scoring. The fitted latency model
    is kept in ``work_dir`` until ``search.json`` is written, so that a
    search run again after a crash reuses it.

    Args:
        cfg (Config): A ``CandidateLibrary`` config with a
            ``search_dataloader``.
        config (str): Its file; the plan folders' configs name theirs
            relative to it.
        checkpoint (str, optional): The trained library (a file or a work
            dir); None for a library of removals alone.
        work_dir (str): Where ``search.json``, ``pareto.png`` and the plan
            folders go.
        given (Mapping): The :class:`SearchSettings` the command line set
            (None or absent: ``search_cfg``'s, else the default), and
            ``device``.
        latency_table (str, optional): The ``search.json`` (or folder) of
            an earlier search whose latency model is reused.

    Returns:
        dict: What ``search.json`` holds.
    """
    search_cfg = search_configs(cfg)
    settings = search_settings(search_cfg)
    loader = build_config_loader(
        cfg, 'search_dataloader', 'the held-out images the candidates are '
        'scored on')
    library = load_searched_library(cfg, checkpoint)
    given = dict(given)
    table = _reused_table(library, given, settings, work_dir, latency_table)
    opt = settings.resolved(given)
    device = given.get('device') or 'cpu'
    rows = row_limits(candidate_names(library),
                      search_cfg.get('row_limits', []))
    pairs = folding_pairs(library) if table is None else sorted(
        table.pair_savings)
    sizes = size_costs(library, library.input_size, pairs)
    check_budgets(library, opt.budgets, sizes, rows)
    resume = osp.join(work_dir, RESUME_TABLE)
    if table is None:  # first: it refuses too few samples at once
        table = measure_latency_table(library, library.input_size,
                                      opt.batch, device, opt.samples,
                                      min_run_time=opt.timing_seconds,
                                      runtime=opt.runtime, pairs=pairs)
        os.makedirs(work_dir, exist_ok=True)
        write_text_atomically(resume, json.dumps(dict(table=table.to_dict())))
    costs = candidate_costs(library, table, library.input_size, sizes)
    check_budgets(library, opt.budgets, costs, rows,
                  dict(costs[0], latency=table.teacher_ms))

    teacher_top1, per_candidate, scores = _scores(library, loader, opt,
                                                  sorted(table.pair_savings))
    timing = Timing(opt.runtime, device, opt.batch, opt.report_batch,
                    opt.timing_seconds)
    search = PlanSearch(library, scores, table, timing, loader,
                        opt.max_batches, rows, opt.calibrate, opt.rerank,
                        costs)
    plans = _chosen_plans(search, opt.budgets)
    plans += search.uniform()
    plans += search.frontier(plans)
    print_log(f'measuring {len(plans)} plans at batch {opt.batch} and '
              f'{opt.report_batch}', logger='current')
    teacher_ms, report_ms = search.measure_all(plans)

    result = dict(teacher_top1=teacher_top1, teacher_ms=teacher_ms,
                  report_batch=opt.report_batch,
                  teacher_ms_report_batch=report_ms, batch=opt.batch,
                  device=device, runtime=opt.runtime,
                  score=opt.score, score_pairs=opt.score_pairs,
                  calibrate=opt.calibrate, rerank=opt.rerank,
                  max_batches=opt.max_batches,
                  candidates=per_candidate,
                  row_limits=search_cfg.get('row_limits', []),
                  table=table.to_dict(), latency_table=latency_table,
                  plans=[dict(p, choice=dict(p['choice'])) for p in plans])
    os.makedirs(work_dir, exist_ok=True)
    for p in plans:
        if p['kind'] != 'frontier':  # tools/misc/write_plans.py writes any
            write_search_plan(library, p, opt.batch, work_dir, config,
                              search_cfg)
    plot_search(result, osp.join(work_dir, 'pareto.png'))
    write_text_atomically(osp.join(work_dir, 'search.json'),
                          json.dumps(result, indent=1))
    if osp.isfile(resume):
        os.remove(resume)  # search.json holds it now
    return result


def search_summary(result: Mapping) -> str:
    """What a finished search found, in the lines the tool prints: the
    teacher, the table of every evaluated plan and the latency check of
    each budget's plan."""
    table = result['table']
    batch, report_batch = result['batch'], result['report_batch']
    teacher_ms, report_ms = (result['teacher_ms'],
                             result['teacher_ms_report_batch'])
    where = runtime_label(result['runtime'], result['device'])
    return '\n'.join([
        f"teacher: top-1 {result['teacher_top1']:.2f} % on the held-out "
        f'images; {teacher_ms:.3f} ms at batch {batch} in {where} '
        f"({table['teacher_ms']:.3f} ms when the latency model was fitted; "
        f"the model says {table['whole_ms']:.3f} ms, its largest error "
        f"{_fit_error(table.get('fit_error'))} on the plans it was fitted "
        'to)', f'batch {report_batch}: teacher {report_ms:.3f} ms',
        pareto_table(result['plans'], table['teacher_ms'], teacher_ms,
                     report_ms, report_batch),
        *latency_checks(result['plans'], table['teacher_ms'], teacher_ms)
    ])
