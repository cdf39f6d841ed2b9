# Copyright (c) mmrecast contributors. All rights reserved.
"""What does a candidate library cost against one teacher-fed recast pass?
Times the training step (preprocessing, teacher forward, every target's
forward and backward, Adam) of a ``CandidateLibrary`` config and of the
recast config its ``search_cfg.recast_config`` names, teacher-fed
(``mode='parallel'``, whatever its own mode), interleaved step by step in
one run, and prints the ratio of the medians. The target of the plan
search is <= 2.0.

Examples:
    python tools/benchmarks/library_step.py --threads 2 --reps 30
    # the span library with spans in the third stage only
    python tools/benchmarks/library_step.py --config configs/recast_search/\
recast-search_resnet20-akamaster_1xb64_cifar10-folder_library-span.py \
        --library-cfg-options "model.spans.0.blocks=backbone.layer3.*"
"""
import statistics

import torch

from mmrecast.analysis import benchmark_parser, setup_benchmark
from mmrecast.utils.cli import add_library_cfg_options
from mmrecast.utils.errors import run_tool_main

LIBRARY = ('configs/recast_search/recast-search_resnet20-akamaster_1xb64_'
           'cifar10-folder_library.py')


def main() -> None:
    parser = benchmark_parser(__doc__, reps=30, batch=64)
    parser.add_argument('--config', default=LIBRARY,
                        help='a CandidateLibrary config')
    add_library_cfg_options(parser)
    args = parser.parse_args()

    from mmengine.optim import build_optim_wrapper

    from mmrecast.analysis import interleaved_times
    from mmrecast.apis import register_all_modules
    from mmrecast.registry import MODELS
    from mmrecast.search import load_library_and_recast
    from mmrecast.utils import runner_model_cfg
    setup_benchmark(args.threads)
    register_all_modules()

    library_cfg, recast_cfg, *_ = load_library_and_recast(
        args, 'library_step.py')
    recast_cfg.model.mode = 'parallel'  # all targets from one forward
    # both built before any output: a config mistake is its one line;
    # weights do not matter to a timing
    models = [
        (cfg, MODELS.build(runner_model_cfg(cfg, ['teacher_checkpoint'])))
        for cfg in (recast_cfg, library_cfg)
    ]
    steps = []
    for cfg, model in models:
        model.init_weights()
        if hasattr(model, 'begin_stage'):  # the teacher-fed pass: 1 stage
            print(f'recast pass, {model.begin_stage(0)}')
        model.train()
        optim = build_optim_wrapper(model, cfg.optim_wrapper)
        size = getattr(model, 'input_size', (3, 32, 32))
        batch = dict(inputs=[
            torch.randint(0, 256, size, dtype=torch.uint8)
            for _ in range(args.batch)
        ])
        steps.append(lambda m=model, o=optim, b=batch: m.train_step(b, o))
    times = interleaved_times(steps, args.reps)
    recast, library = (statistics.median(t[i] for t in times) * 1000
                       for i in range(2))
    print(f'teacher-fed recast step: {recast:.1f} ms (median of '
          f'{args.reps})')
    print(f'candidate library step: {library:.1f} ms')
    print(f'library / recast pass: {library / recast:.2f} (target <= 2.0)')


if __name__ == '__main__':
    run_tool_main(main)
