# Copyright (c) mmrecast contributors. All rights reserved.
"""How much faster does a config's training step run in another way?

Builds a training config's model and optimizer, takes one batch of its
training data, and times ``model.train_step`` as the runner calls it, as
configured and in the way ``--compare`` names, interleaved round by round
in one run:

* ``bfloat16``: under bfloat16 autocast (``AutocastOptimWrapper``), against
  the config's optimizer in a plain ``OptimWrapper``;
* ``channels-last``: on channels-last batches (``ChannelsLastHook``),
  against the default layout;
* ``compile``: ``torch.compile`` of ``train_step`` (what the config key
  ``compile=True`` makes mmengine's Runner do), against eager; the first
  step of each, which compiles, is not timed.

Prints the median step times, their ratio, and the loss of one step each
way on the same weights and batch. A recast config's step is that of its
first recast stage (for the parallel and chained modes, every block).

Example:
    python tools/benchmarks/train_step.py --compare channels-last \
        configs/recasting/recast_backbone_resnet20-akamaster_convnet20_1xb64_cifar10-folder_finetune-parallel.py
"""
import copy
from typing import Dict

from mmrecast.analysis import benchmark_parser, setup_benchmark
from mmrecast.analysis.benchmark import Step
from mmrecast.utils.cli import CfgOptions
from mmrecast.utils.errors import run_tool_main


def bfloat16_steps(model, data, cfg) -> Dict[str, Step]:
    from mmengine.optim import build_optim_wrapper
    steps = {}
    for name, wrapper_type in (('float32', 'OptimWrapper'),
                               ('bfloat16', 'AutocastOptimWrapper')):
        wrapper_cfg = copy.deepcopy(cfg.optim_wrapper)
        wrapper_cfg.pop('dtype', None)
        wrapper_cfg['type'] = wrapper_type
        wrapper = build_optim_wrapper(model, wrapper_cfg)
        steps[name] = lambda w=wrapper: model.train_step(data, w)
    return steps


def channels_last_steps(model, data, cfg) -> Dict[str, Step]:
    from mmengine.optim import build_optim_wrapper

    from mmrecast.engine.hooks import channels_last_batch
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)

    def channels_last_step() -> dict:
        handle = model.data_preprocessor.register_forward_hook(
            channels_last_batch)
        try:
            return model.train_step(data, optim_wrapper)
        finally:
            handle.remove()

    return {
        'default layout': lambda: model.train_step(data, optim_wrapper),
        'channels-last': channels_last_step
    }


def compile_steps(model, data, cfg) -> Dict[str, Step]:
    import torch
    from mmengine.optim import build_optim_wrapper
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    compiled = torch.compile(model.train_step)
    return {
        'eager': lambda: model.train_step(data, optim_wrapper),
        'compiled': lambda: compiled(data, optim_wrapper)
    }


COMPARISONS = {
    'bfloat16': bfloat16_steps,
    'channels-last': channels_last_steps,
    'compile': compile_steps,
}


def main() -> None:
    parser = benchmark_parser(__doc__, reps=30)
    parser.add_argument('config', help='a training config')
    parser.add_argument('--compare', choices=COMPARISONS, required=True,
                        help='the other way to run the step')
    parser.add_argument('--cfg-options', nargs='+', action=CfgOptions,
                        help='override config settings (as in train.py)')
    args = parser.parse_args()

    from mmrecast.analysis import compare_train_steps, training_step_inputs
    from mmrecast.apis import register_all_modules
    from mmrecast.utils.cli import load_config
    from mmrecast.utils.config_check import check_config
    setup_benchmark(args.threads)
    register_all_modules()
    cfg = load_config(args.config, args.cfg_options)
    check_config(cfg)
    model, data = training_step_inputs(cfg)
    steps = COMPARISONS[args.compare](model, data, cfg)
    compare_train_steps(model, data, steps, args.reps, args.threads)


if __name__ == '__main__':
    run_tool_main(main)
