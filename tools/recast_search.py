# Copyright (c) mmrecast contributors. All rights reserved.
"""Search the per-block recast plan for a latency (or size) budget.

Reads a trained candidate library (a ``CandidateLibrary`` config and its
checkpoint), scores every candidate on the config's held-out images
(``search_dataloader``), times every candidate in place, and for each
budget picks one candidate per block with an integer program. Prints the
latency table check and the table of every evaluated plan; writes
``pareto.png``, ``search.json`` and, per budget and per uniform plan (the
hand-made baselines), a plan folder with ``recast.py``, ``finetune.py`` and
``student.pth`` for the existing tools.

Example:
    python tools/recast_search.py configs/recast_search/\\
recast-search_resnet20-akamaster_1xb64_cifar10-folder_library.py \\
        --checkpoint work_dirs/library --budget latency=0.7x latency=0.5x \\
        --work-dir work_dirs/search

Every option but ``--checkpoint``, ``--device``, ``--latency-table`` and
``--work-dir`` can also come from the config's ``search_cfg``, under its
name with ``_`` for ``-`` (``budgets=[...]`` for ``--budget``,
``runtime=...``, ``timing_seconds=...``): the options override it.
"""
import argparse
import json
import os
import os.path as osp
from typing import Optional

from mmengine.logging import print_log

from mmrecast.analysis import check_device
from mmrecast.apis import register_all_modules
from mmrecast.models.algorithms import CandidateLibrary
from mmrecast.search import (RUNTIMES, SCORES, ChosenPlan, LatencyTable,
                             PlanSearch, SearchSettings, Timing,
                             candidate_costs, candidate_names, check_budgets,
                             folding_pairs, load_latency_table, load_library,
                             load_library_config, measure_latency_table,
                             pair_scores, parse_budget, row_limits,
                             score_candidates, search_configs, search_scores,
                             search_settings, size_costs, write_search_plan)
from mmrecast.search.pareto import (latency_checks, pareto_table, plot_search,
                                    runtime_label)
from mmrecast.utils import apply_compat_patches
from mmrecast.utils.checkpoint import write_text_atomically
from mmrecast.utils.cli import (add_tool_args, apply_tool_args, folder,
                                natural_int, positive_float, positive_int,
                                refuse_existing, tool_description)
from mmrecast.utils.config_loader import build_config_loader
from mmrecast.utils.errors import ConfigError, run_tool_main

#: the latency model of a search not yet finished, in its work dir
RESUME_TABLE = 'latency_table.json'


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=tool_description(__doc__))
    parser.add_argument('config', help='a CandidateLibrary config')
    parser.add_argument('--checkpoint', required=True,
                        help='the trained library (file or work dir)')
    parser.add_argument('--budget', nargs='+',
                        help='one plan per budget: latency|params|macs='
                        'FRACTIONx of the teacher, latency=MILLISECONDSms '
                        'or params|macs=COUNT (150000 or 150K), or several '
                        'joined by commas '
                        'and met together (latency=0.5x,params=0.3x) '
                        '(default: search_cfg.budgets, else latency=0.5x)')
    parser.add_argument('--batch', type=positive_int,
                        help='batch size of the latency table and budgets '
                        '(default: search_cfg.batch, else 64 in torch, 1 in '
                        'onnxruntime)')
    parser.add_argument('--report-batch', type=positive_int,
                        help='a second batch size at which every evaluated '
                        'plan is measured (reported, not searched; '
                        'default: search_cfg.report_batch, else 1, or 64 '
                        'when --batch is 1)')
    parser.add_argument('--device',
                        help="torch's device for the timings (default: "
                        'cpu)')
    parser.add_argument('--runtime', choices=RUNTIMES,
                        help='where the students are timed (default: '
                        'search_cfg.runtime, else torch); onnxruntime '
                        'exports each to ONNX first (seconds per network)')
    # a reused latency model is fitted already: --samples would be ignored
    fitted = parser.add_mutually_exclusive_group()
    fitted.add_argument('--latency-table', metavar='SEARCH_JSON',
                        help="reuse the latency model of an earlier search "
                        "of this library (its search.json or folder) "
                        "instead of timing one; its runtime, batch and "
                        "device apply")
    # these and the options above default to search_cfg's setting of the
    # same name (SearchSettings), then to the default named
    fitted.add_argument('--samples', type=natural_int,
                        help='random plans the latency model is fitted to, '
                        'besides the uniform ones (default: twice the '
                        'number of candidates; not with --latency-table, '
                        'whose model is fitted)')
    parser.add_argument('--timing-seconds', type=positive_float,
                        help='seconds of timing for the latency model (the '
                        'final measurements take half as long each; '
                        'default: 20)')
    parser.add_argument('--score', choices=sorted(SCORES),
                        help='what the search maximises (default: kl)')
    parser.add_argument('--calibrate', type=natural_int,
                        help='per latency budget, measure the chosen plan '
                        'and, while it is slower than the budget, choose '
                        'again under a limit lowered by the excess and '
                        'below its prediction, at most N times (0: trust '
                        'the latency model; default: 3)')
    parser.add_argument('--rerank', type=positive_int,
                        help='per budget, build the N best plans by summed '
                        'score and keep the one with the lowest joint KL on '
                        'the held-out images (default 1: the best sum; see '
                        'configs/recast_search/README.md for how it fared)')
    parser.add_argument('--score-pairs', action=argparse.BooleanOptionalAction,
                        help='score each pair of candidates that folds a '
                        'projection swapped together, and count that in '
                        'the sum (off by default: it chose a worse plan, '
                        'configs/recast_search/README.md)')
    parser.add_argument('--max-batches', type=positive_int,
                        help='held-out batches to score on (default: all)')
    parser.add_argument('--work-dir', type=folder,
                        default='work_dirs/recast_search')
    add_tool_args(parser, writes=True, cfg_options=True)
    args = parser.parse_args()
    check_device(parser, args.device or 'cpu')
    return args


def fit_error(table: LatencyTable) -> str:
    """The model's largest error on its plans (unknown in tables of
    searches that did not save it)."""
    error = table.fit_error
    return 'unknown' if error is None else f'{error:.1%}'


def reused_table(args: argparse.Namespace, library: CandidateLibrary,
                 settings: SearchSettings) -> Optional[LatencyTable]:
    """``--latency-table``'s model, or the one an interrupted search into
    ``--work-dir`` fitted (None: neither). Its runtime, batch and device
    become the search's, and an interrupted search's random plans and
    seconds of timing too (it goes on as it began); a different one given
    on the command line or in ``search_cfg`` is refused."""
    path = args.latency_table or osp.join(args.work_dir, RESUME_TABLE)
    timed_with = ['runtime', 'batch', 'device']
    if args.latency_table:
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
        given, timed = getattr(args, name), getattr(table, name)
        where = f'--{name.replace("_", "-")} {given}'
        if given is None:
            given = getattr(settings, name, None)
            where = f'search_cfg.{name}={given!r}'
        if timed is None:  # tables of older searches did not keep it
            continue
        if given is not None and given != timed:
            raise ConfigError(f'{where}: {option} {path} was timed with '
                              f'{name} {timed}; {fix}')
        setattr(args, name, timed)
    print_log(f'latency model: read from {path}{note} (batch '
              f'{table.batch} in {table.runtime}, {table.device}; its '
              f'largest error on the plans it was fitted to '
              f'{fit_error(table)})', logger='current')
    return table


def print_chosen(chosen: ChosenPlan, teacher_ms: float) -> None:
    """How a budget's plan was held against measurements (in the units of
    the fit's teacher, ``teacher_ms``) and reranked."""
    name = chosen.plan['name']
    for n, step in enumerate(chosen.calibration):
        print(f'{name}: calibration {n}: limit {step.limit:.3f} ms, plan '
              f'predicted {step.predicted:.3f} ms, measured '
              f'{step.measured:.3f} ms '
              f'({step.measured / teacher_ms:.3f}x the teacher)')
    if chosen.joint_kls:
        kls = ' '.join(f'{kl:.4f}' for kl in chosen.joint_kls)
        print(f'{name}: joint KL of the {len(chosen.joint_kls)} best plans '
              f'by summed score: {kls}; number {chosen.plan["rank"]} is '
              'kept')


def main() -> None:
    args = parse_args()
    apply_compat_patches()
    apply_tool_args(args)
    register_all_modules()
    budgets = [parse_budget(b) for b in args.budget or []] or None
    cfg = load_library_config(args.config, args.cfg_options,
                              'recast_search.py')
    search_cfg = search_configs(cfg)
    settings = search_settings(search_cfg)
    loader = build_config_loader(
        cfg, 'search_dataloader', 'the held-out images the candidates are '
        'scored on')
    refuse_existing([osp.join(args.work_dir, 'search.json')], args.force)
    library = load_library(cfg, args.checkpoint)
    table = reused_table(args, library, settings)
    resume = osp.join(args.work_dir, RESUME_TABLE)
    opt = settings.resolved(dict(vars(args), budgets=budgets))
    args.device = args.device or 'cpu'
    rows = row_limits(candidate_names(library),
                      search_cfg.get('row_limits', []))
    # budgets no plan meets are refused before the minutes of work: sizes
    # before the timing, latency before the scoring
    pairs = folding_pairs(library) if table is None else sorted(
        table.pair_savings)
    sizes = size_costs(library, library.input_size, pairs)
    check_budgets(library, opt.budgets, sizes, rows)
    if table is None:  # first: it refuses too few --samples at once
        table = measure_latency_table(library, library.input_size,
                                      opt.batch, args.device, opt.samples,
                                      min_run_time=opt.timing_seconds,
                                      runtime=opt.runtime, pairs=pairs)
        # timing is most of a search: kept until search.json is written,
        # so that the search run again after a crash reuses it
        os.makedirs(args.work_dir, exist_ok=True)
        write_text_atomically(resume, json.dumps(dict(table=table.to_dict())))
    costs = candidate_costs(library, table, library.input_size, sizes)
    check_budgets(library, opt.budgets, costs, rows,
                  dict(costs[0], latency=table.teacher_ms))
    candidates = sum(len(library.options(b)) for b in library.blocks)
    print_log(f'scoring {candidates} candidates of {len(library.blocks)} '
              'blocks on the held-out images', logger='current')
    teacher_top1, per_candidate = score_candidates(library, loader,
                                                   opt.max_batches)
    scores = search_scores(per_candidate, opt.score)
    if opt.score_pairs and table.pair_savings:
        print_log(f'scoring {len(table.pair_savings)} folding pairs of '
                  'candidates swapped together', logger='current')
        scores.update(pair_scores(library, sorted(table.pair_savings),
                                  scores, opt.score, teacher_top1, loader,
                                  opt.max_batches))
    timing = Timing(opt.runtime, args.device, opt.batch, opt.report_batch,
                    opt.timing_seconds)
    search = PlanSearch(library, scores, table, timing, loader,
                        opt.max_batches, rows, opt.calibrate, opt.rerank,
                        costs)

    plans = []
    for budget in opt.budgets:
        try:
            chosen = search.choose(budget)
        except ValueError as error:
            raise ConfigError(f'--budget {budget}: {error}') from None
        print_chosen(chosen, table.teacher_ms)
        plans.append(chosen.plan)
    plans += search.uniform()
    plans += search.frontier(plans)
    print_log(f'measuring {len(plans)} plans at batch {opt.batch} and '
              f'{opt.report_batch}', logger='current')
    teacher_ms, report_ms = search.measure_all(plans)

    os.makedirs(args.work_dir, exist_ok=True)
    where = runtime_label(opt.runtime, args.device)
    print(f'teacher: top-1 {teacher_top1:.2f} % on the held-out images; '
          f'{teacher_ms:.3f} ms at batch {opt.batch} in {where} '
          f'({table.teacher_ms:.3f} ms when the latency model was fitted; '
          f'the model says {table.whole_ms:.3f} ms, its largest error '
          f'{fit_error(table)} on the plans it was fitted to)')
    print(f'batch {opt.report_batch}: teacher {report_ms:.3f} ms')
    print(pareto_table(plans, table.teacher_ms, teacher_ms, report_ms,
                       opt.report_batch))
    print('\n'.join(latency_checks(plans, table.teacher_ms, teacher_ms)))
    for p in plans:
        if p['kind'] != 'frontier':  # tools/misc/write_plans.py writes any
            out_dir = write_search_plan(library, p, opt.batch, args.work_dir,
                                        args.config, search_cfg)
            print(f"{p['name']}: {out_dir}/finetune.py")
    result = dict(teacher_top1=teacher_top1, teacher_ms=teacher_ms,
                  report_batch=opt.report_batch,
                  teacher_ms_report_batch=report_ms, batch=opt.batch,
                  device=args.device, runtime=opt.runtime,
                  score=opt.score, score_pairs=opt.score_pairs,
                  calibrate=opt.calibrate, rerank=opt.rerank,
                  max_batches=opt.max_batches,
                  candidates=per_candidate,
                  row_limits=search_cfg.get('row_limits', []),
                  table=table.to_dict(), latency_table=args.latency_table,
                  plans=[dict(p, choice=dict(p['choice'])) for p in plans])
    plot_search(result, osp.join(args.work_dir, 'pareto.png'))
    write_text_atomically(osp.join(args.work_dir, 'search.json'),
                          json.dumps(result, indent=1))
    if osp.isfile(resume):
        os.remove(resume)  # search.json holds it now


if __name__ == '__main__':
    run_tool_main(main)
