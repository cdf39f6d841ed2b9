# Copyright (c) mmrecast contributors. All rights reserved.
"""How much faster does a training step run under bfloat16 autocast?

Builds a training config's model and optimizer, takes one batch of its
training data, and times ``model.train_step`` with the config's optimizer
in a plain ``OptimWrapper`` and in ``AutocastOptimWrapper`` (bfloat16),
interleaved round by round in one run. Prints the median step times and
their ratio, and the loss of one step in each precision on the same
weights and batch.

Example:
    python tools/benchmarks/autocast_step.py \
        configs/recasting/recast_backbone_resnet20-akamaster_convnet20_1xb64_cifar10-folder_finetune-parallel.py
"""
import copy
import statistics

from mmrecast.analysis import benchmark_parser, setup_benchmark
from mmrecast.utils.errors import run_tool_main


def main() -> None:
    parser = benchmark_parser(__doc__.splitlines()[0], reps=30)
    parser.add_argument('config', help='a training config')
    args = parser.parse_args()

    from mmengine.optim import build_optim_wrapper
    from mmengine.runner import Runner

    from mmrecast.analysis import interleaved_times
    from mmrecast.apis import register_all_modules
    from mmrecast.registry import MODELS
    from mmrecast.utils.cli import load_config
    setup_benchmark(args.threads)
    register_all_modules()

    cfg = load_config(args.config)
    model_cfg = copy.deepcopy(cfg.model)
    model_cfg.pop('init_from', None)  # timing needs no trained weights
    model = MODELS.build(model_cfg)
    model.init_weights()
    model.train()
    loader_cfg = copy.deepcopy(cfg.train_dataloader)
    loader_cfg.update(num_workers=0, persistent_workers=False)
    data = next(iter(Runner.build_dataloader(loader_cfg)))

    wrappers = {}
    for name in ('OptimWrapper', 'AutocastOptimWrapper'):
        wrapper_cfg = copy.deepcopy(cfg.optim_wrapper)
        wrapper_cfg.pop('dtype', None)
        wrapper_cfg['type'] = name
        wrappers[name] = build_optim_wrapper(model, wrapper_cfg)
    state = copy.deepcopy(model.state_dict())
    losses = {}
    for name, wrapper in wrappers.items():
        model.load_state_dict(state)
        log = model.train_step(data, wrapper)
        losses[name] = sum(v.item() for k, v in log.items() if 'loss' in k)

    rounds = interleaved_times(
        [lambda w=w: model.train_step(data, w) for w in wrappers.values()],
        args.reps)
    fp32 = statistics.median(r[0] for r in rounds)
    bf16 = statistics.median(r[1] for r in rounds)
    ratio = statistics.median(r[0] / r[1] for r in rounds)
    batch = len(data['data_samples'])
    print(f'{type(model).__name__}, batch {batch}, CPU, {args.threads} '
          f'threads, median of {args.reps} interleaved rounds')
    print(f'float32  step {fp32:.4f} s  loss {losses["OptimWrapper"]:.4f}')
    print(f'bfloat16 step {bf16:.4f} s  loss '
          f'{losses["AutocastOptimWrapper"]:.4f}')
    print(f'speed-up {ratio:.2f}x (median of the per-round ratios)')


if __name__ == '__main__':
    run_tool_main(main)
