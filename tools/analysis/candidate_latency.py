# Copyright (c) mmrecast contributors. All rights reserved.
"""Price a candidate library before training it: the teacher and each
uniform plan (every block the same candidate) timed where the student will
run, with their parameters and MACs as deployed. A candidate kind that is
not cheaper there than the plain conv need not be trained: depthwise convs,
for one, are slow in torch on a CPU and fast in onnxruntime at batch 1.
Weights do not matter to a timing, so none are loaded.

Example:
    python tools/analysis/candidate_latency.py configs/recast_search/\\
recast-search_resnet20-akamaster_1xb64_cifar10-folder_library-separable2.py \\
        --runtime onnxruntime
"""
import argparse

from mmrecast.analysis import check_device
from mmrecast.apis import register_all_modules
from mmrecast.models.utils import as_deployed
from mmrecast.search import (RUNTIMES, build_student, load_library,
                             load_library_config, measure_students,
                             search_settings, uniform_plans)
from mmrecast.search.pareto import runtime_label
from mmrecast.utils import apply_compat_patches
from mmrecast.utils.cli import (add_tool_args, apply_tool_args, positive_float,
                                positive_int, tool_description)
from mmrecast.utils.complexity import count_macs, count_params
from mmrecast.utils.errors import run_tool_main


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=tool_description(__doc__))
    parser.add_argument('config', help='a CandidateLibrary config')
    parser.add_argument('--runtime', choices=RUNTIMES,
                        help='where the students are timed (default: '
                        "the config's search_cfg.runtime, else torch); "
                        'onnxruntime exports each to ONNX first')
    parser.add_argument('--batch', type=positive_int,
                        help="batch size (default: the config's "
                        'search_cfg.batch, else 64 in torch, 1 in '
                        'onnxruntime, as tools/recast_search.py)')
    parser.add_argument('--device', default='cpu',
                        help="torch's device for the timings")
    parser.add_argument('--timing-seconds', type=positive_float, default=10.0,
                        help='seconds of interleaved timing rounds')
    add_tool_args(parser, cfg_options=True)
    args = parser.parse_args()
    check_device(parser, args.device)
    return args


def main() -> None:
    args = parse_args()
    apply_compat_patches()
    apply_tool_args(args)
    register_all_modules()
    cfg = load_library_config(args.config, args.cfg_options,
                              'candidate_latency.py')
    library = load_library(cfg, None)  # weights do not matter to a timing
    # where the search will time the students, unless told otherwise
    timing = search_settings(cfg.get('search_cfg') or {}).resolved(
        vars(args))
    args.runtime, batch = timing.runtime, timing.batch
    plans = uniform_plans(library)
    size = library.input_size
    teacher_ms, plan_ms = measure_students(
        library, [choice for _, choice in plans], size, batch, args.device,
        args.timing_seconds, args.runtime)
    print(f'batch {batch} in {runtime_label(args.runtime, args.device)}, '
          'untrained weights; timed in turn, '
          "round by round: the teacher's fastest round, a plan's median "
          'ratio to it\n')
    print('| plan | ms | x teacher | params | MACs |\n|---|---|---|---|---|')
    rows = [('teacher', teacher_ms, library.teacher)] + [
        (name, ms, build_student(library, choice))
        for (name, choice), ms in zip(plans, plan_ms)
    ]
    for name, ms, model in rows:
        deployed = as_deployed(model, mode='tensor')
        print(f'| {name} | {ms:.3f} | {ms / teacher_ms:.2f} | '
              f'{count_params(deployed) / 1e3:.1f}K | '
              f'{count_macs(deployed, size) / 1e6:.2f}M |')


if __name__ == '__main__':
    run_tool_main(main)
