# Copyright (c) mmrecast contributors. All rights reserved.
"""How much CPU does each config's training input pipeline take per batch?

Reads batches of each config's training data as one of its loader's
workers does (every sample through the data set's pipeline, then the
loader's ``collate_fn``), in this process, and prints the time per batch
and the first config's ratio to each of the others:

* the first read of a fixed pool of batches: what the first epoch costs
  (every image decoded);
* the same batches read again, config by config in interleaved rounds:
  what every later epoch costs a worker that keeps its decoded images
  (``CachedLoadImageFromFile``). A pipeline that keeps nothing costs
  about the same both times.

Not timed: the hand-over of a batch from a worker to the training process
and the data preprocessor (normalisation), which every pipeline pays alike.

Example (the per-image pipeline written out as in
``configs/recasting/logs/budget/README.md``, "The input pipeline"):
    python tools/benchmarks/input_pipeline.py per_image.py \
        configs/recasting/recast_backbone_resnet20-akamaster_convnet20_1xb64_cifar10-folder_finetune-parallel_bf16.py
"""
import copy
import itertools
import os.path as osp
import statistics
from typing import Callable, List, Tuple

import numpy as np

from mmrecast.analysis import benchmark_parser, setup_benchmark
from mmrecast.utils.cli import CfgOptions, positive_int
from mmrecast.utils.errors import ConfigError, run_tool_main


def batch_reader(cfg, pool: int) -> Tuple[Callable[[], dict], int]:
    """A call that reads the next of ``pool`` fixed batches of ``cfg``'s
    training data (in turn, from the first again after the last), and the
    batch size."""
    from mmengine.runner import Runner
    if not isinstance(cfg.get('train_dataloader'), dict):
        raise ConfigError(f'{cfg.filename}: has no train_dataloader to read')
    loader_cfg = copy.deepcopy(cfg.train_dataloader)
    loader_cfg.update(num_workers=0, persistent_workers=False)
    loader = Runner.build_dataloader(loader_cfg)
    dataset, size = loader.dataset, loader.batch_size
    if len(dataset) < pool * size:
        raise ConfigError(f'{cfg.filename}: its training data has '
                          f'{len(dataset)} images, fewer than --pool '
                          f'{pool} batches of {size}; lower --pool')
    chosen = np.random.RandomState(0).choice(
        len(dataset), pool * size, replace=False).reshape(pool, size)
    batches = itertools.cycle(chosen.tolist())
    return (lambda: loader.collate_fn([dataset[i] for i in next(batches)]),
            size)


def main() -> None:
    parser = benchmark_parser(__doc__, reps=30)
    parser.add_argument('configs', nargs='+', help='training configs')
    parser.add_argument('--pool', type=positive_int, default=4,
                        help='batches read first, then again each round (4)')
    parser.add_argument('--cfg-options', nargs='+', action=CfgOptions,
                        help='override settings of every config (as in '
                        'train.py)')
    args = parser.parse_args()

    from mmrecast.analysis import interleaved_times, time_call
    from mmrecast.apis import register_all_modules
    from mmrecast.utils.cli import load_config
    from mmrecast.utils.config_check import check_config
    setup_benchmark(args.threads)
    register_all_modules()
    names: List[str] = []
    reads, sizes = [], []
    for path in args.configs:
        cfg = load_config(path, args.cfg_options)
        check_config(cfg)
        read, size = batch_reader(cfg, args.pool)
        names.append(osp.basename(path))
        reads.append(read)
        sizes.append(size)
    if len(set(sizes)) > 1:
        raise ConfigError('the configs read batches of different sizes '
                          f'({", ".join(map(str, sizes))}); set one with '
                          '--cfg-options train_dataloader.batch_size=N')

    # each batch of the pool read once by every config before the next
    first = [[time_call(read) for read in reads] for _ in range(args.pool)]
    again = interleaved_times(reads, args.reps, warmup=0)
    shapes = [tuple(read()['inputs'].shape) for read in reads]
    print(f'training input pipeline, batch {sizes[0]}, CPU, {args.threads} '
          f'threads, no workers: a pool of {args.pool} batches read first, '
          f'then again in {args.reps} interleaved rounds')
    width = max(map(len, names))
    for i, name in enumerate(names):
        print(f'{name:<{width}}  first read '
              f'{statistics.median(r[i] for r in first) * 1e3:.2f} ms  '
              f'read again {statistics.median(r[i] for r in again) * 1e3:.2f}'
              f' ms  inputs {shapes[i]}')
    for i, name in enumerate(names[1:], 1):
        ratios = [statistics.median(r[0] / r[i] for r in rounds)
                  for rounds in (first, again)]
        print(f'speed-up of {name}: first read {ratios[0]:.2f}x, read again '
              f'{ratios[1]:.2f}x (median of the per-batch and per-round '
              'ratios)')


if __name__ == '__main__':
    run_tool_main(main)
