# Copyright (c) mmrecast contributors. All rights reserved.
"""Search the per-block recast plan for a latency (or size) budget.

Reads a trained candidate library (a ``CandidateLibrary`` config and its
checkpoint; a library of removals alone needs none), scores every
candidate on the config's held-out images (``search_dataloader``), times
every candidate in place, and for each budget picks one candidate per block
with an integer program. Prints the latency table check and the table of
every evaluated plan; writes ``pareto.png``, ``search.json`` and, per
budget and per uniform plan (the hand-made baselines), a plan folder with
``recast.py``, ``finetune.py`` and ``student.pth`` for the existing tools.

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
import os.path as osp

from mmrecast.analysis import check_device
from mmrecast.apis import register_all_modules
from mmrecast.search import (RUNTIMES, SCORES, load_library_config,
                             parse_budget, plan_folder, run_search,
                             search_summary)
from mmrecast.utils import apply_compat_patches
from mmrecast.utils.cli import (add_tool_args, apply_tool_args, folder,
                                natural_int, positive_float, positive_int,
                                refuse_existing, tool_description)
from mmrecast.utils.errors import run_tool_main


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=tool_description(__doc__))
    parser.add_argument('config', help='a CandidateLibrary config')
    parser.add_argument('--checkpoint',
                        help='the trained library (file or work dir); not '
                        'for a library of removals alone, which is searched '
                        "from the teacher's weights")
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


def main() -> None:
    args = parse_args()
    apply_compat_patches()
    apply_tool_args(args)
    register_all_modules()
    budgets = [parse_budget(b) for b in args.budget or []] or None
    cfg = load_library_config(args.config, args.cfg_options,
                              'recast_search.py')
    refuse_existing([osp.join(args.work_dir, 'search.json')], args.force)
    result = run_search(cfg, args.config, args.checkpoint, args.work_dir,
                        dict(vars(args), budgets=budgets),
                        args.latency_table)
    print(search_summary(result))
    for p in result['plans']:
        if p['kind'] != 'frontier':
            print(f"{p['name']}: {plan_folder(args.work_dir, p['name'])}"
                  '/finetune.py')


if __name__ == '__main__':
    run_tool_main(main)
