# Copyright (c) mmrecast contributors. All rights reserved.
"""What does training a candidate library cost against one teacher-fed
recast pass, as whole runs? Trains a ``CandidateLibrary`` config and the
recast config its ``search_cfg.recast_config`` names, teacher-fed
(``model.mode='parallel'``, whatever its own mode), with
``tools/dist_train.sh`` (one process), the same iterations each, one after
the other for ``--rounds`` rounds, and prints each run's wall time, the
ratio of the medians (the plan search's target is <= 2.0) and the ratio of
their median logged iteration times. ``library_step.py`` times the training
step alone, without data loading, start-up or evaluation, a stricter ratio.

Examples:
    python tools/benchmarks/library_run.py
    # another library, shorter runs, three rounds
    python tools/benchmarks/library_run.py --config LIBRARY_CONFIG \
        --iters 300 --rounds 3
    # CIFAR-10 elsewhere than data/cifar10
    python tools/benchmarks/library_run.py \
        --library-cfg-options train_dataloader.dataset.dataset.data_root=D \
        --recast-cfg-options train_dataloader.dataset.data_root=D \
        val_dataloader.dataset.data_root=D
"""
import argparse
import json
import os
import os.path as osp
import shlex
import statistics
import time
from typing import Dict, Tuple

from mmrecast.utils.cli import (add_library_cfg_options, folder, positive_int,
                                tool_description)
from mmrecast.utils.errors import ConfigError, run_tool_main

TOOLS = osp.dirname(osp.dirname(osp.abspath(__file__)))
LIBRARY = ('configs/recast_search/recast-search_resnet20-akamaster_1xb64_'
           'cifar10-folder_library.py')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=tool_description(__doc__))
    parser.add_argument('--config', default=LIBRARY,
                        help='a CandidateLibrary config')
    parser.add_argument('--iters', type=positive_int,
                        help="iterations of each run (the library's own "
                        'train_cfg.max_iters)')
    parser.add_argument('--rounds', type=positive_int, default=2,
                        help='library and recast-pass runs, in turn (2)')
    parser.add_argument('--work-dir', type=folder,
                        help='where the runs and their logs go (a new '
                        'folder; default work_dirs/library_run/CONFIG/TIME)')
    add_library_cfg_options(parser)
    parser.add_argument(
        '--debug', action='store_true',
        help='show the traceback of an error (also MMRECAST_DEBUG=1)')
    return parser.parse_args()


def planned_runs(args: argparse.Namespace) -> Tuple[Dict[str, tuple], int]:
    """``{'library': (config, options), 'recast': (...)}`` and the
    iterations of each run: the library's own loop, and its recast config
    teacher-fed (one stage of them), both logging every 50 iterations or
    fewer so that a short run logs its pace too. A config that is not a
    library, or one without a recast config that loads, is refused in one
    line before any run."""
    from mmrecast.analysis.budget import is_recast_loop
    from mmrecast.search import load_library_and_recast
    library, recast, recast_path, own = load_library_and_recast(
        args, 'library_run.py')
    iters = args.iters or library.train_cfg.get('max_iters')
    if not iters:
        raise ConfigError(f'{args.config}: train_cfg has no max_iters; give '
                          '--iters')
    logger = f'default_hooks.logger.interval={min(50, max(1, iters // 4))}'
    length = [f'train_cfg.iters_per_stage={iters}', 'model.mode=parallel'] \
        if is_recast_loop(recast) else [f'train_cfg.max_iters={iters}']
    return dict(
        library=(args.config,
                 [*own['library'], logger, f'train_cfg.max_iters={iters}']),
        recast=(recast_path, [*own['recast'], logger, *length])), iters


def main() -> None:
    args = parse_args()
    from mmrecast.analysis.budget import read_warmup
    from mmrecast.analysis.logged_run import run_logged

    runs, iters = planned_runs(args)
    stem = osp.splitext(osp.basename(args.config))[0]
    work_dir = args.work_dir or osp.join('work_dirs', 'library_run', stem,
                                         time.strftime('%Y%m%d_%H%M%S'))
    if osp.isdir(work_dir) and os.listdir(work_dir):
        raise ConfigError(f'--work-dir {work_dir}: not empty; choose a new '
                          'folder (nothing in it is overwritten)')
    os.makedirs(work_dir, exist_ok=True)
    walls = {name: [] for name in runs}
    per_iter = {name: [] for name in runs}
    for k in range(1, args.rounds + 1):
        for name, (config, words) in runs.items():
            run = osp.join(work_dir, f'round{k}_{name}')
            argv = ['bash', osp.relpath(osp.join(TOOLS, 'dist_train.sh')),
                    config, '1', '--work-dir', run, '--cfg-options', *words]
            with open(osp.join(work_dir, 'commands.sh'), 'a') as file:
                file.write(shlex.join(argv) + '\n')
            seconds, _ = run_logged(name, argv, f'{run}.log')
            walls[name].append(seconds)
            per_iter[name].append(read_warmup(run)[0])
        print(f'round {k}: library {walls["library"][-1]:.1f} s, recast '
              f'pass {walls["recast"][-1]:.1f} s ({iters} iterations each)',
              flush=True)

    def ratio(values: dict) -> float:
        return statistics.median(values['library']) / statistics.median(
            values['recast'])

    result = dict(config=args.config, recast_config=runs['recast'][0],
                  iters=iters, wall_s=walls, iter_s=per_iter,
                  wall_ratio=ratio(walls), iter_ratio=ratio(per_iter))
    with open(osp.join(work_dir, 'result.json'), 'w') as file:
        json.dump(result, file, indent=1)
    print(f'library run / recast-pass run: {result["wall_ratio"]:.2f} (wall '
          f'time, median of {args.rounds}; target <= 2.0)')
    print(f'library / recast-pass iteration: {result["iter_ratio"]:.2f} '
          "(median of mmengine's logged iteration times)")
    print(f'logs and result.json: {work_dir}')


if __name__ == '__main__':
    run_tool_main(main)
