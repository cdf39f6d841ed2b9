# Copyright (c) mmrecast contributors. All rights reserved.
"""Check the plan of a recast config before training: every target is
built and a probe batch runs through the student after every stage
(sequential) or after all of them (parallel); prints a table per block.

Example:
    python tools/misc/check_plan.py \\
        configs/recasting/recast_backbone_resnet56_convnet56_1xb64_cifar10_recast.py
"""
import argparse

import torch

from mmrecast.apis import check_plan, plan_table, register_all_modules
from mmrecast.utils import apply_compat_patches
from mmrecast.utils.cli import (add_tool_args, apply_tool_args, load_config,
                                positive_int, tool_description)
from mmrecast.utils.config_loader import build_config_loader
from mmrecast.utils.errors import ConfigError, run_tool_main


def _probe(cfg, shape) -> torch.Tensor:
    """Two images of the config's test data (or zeros of ``shape``)."""
    if shape:
        return torch.zeros(2, *shape)
    loader = build_config_loader(
        cfg, 'test_dataloader', 'the plan is probed with its images; or '
        'give the input size with --shape C H W')
    from mmrecast.registry import MODELS
    preprocessor = MODELS.build(
        dict(type='mmpretrain.ClsDataPreprocessor',
             **{k: v for k, v in (cfg.get('data_preprocessor') or {}).items()
                if k != 'type'}))
    return preprocessor(next(iter(loader)), False)['inputs'][:2]


def main() -> None:
    parser = argparse.ArgumentParser(description=tool_description(__doc__))
    parser.add_argument('config', help='a recast config (BlockRecast)')
    parser.add_argument(
        '--shape', type=positive_int, nargs=3, metavar=('C', 'H', 'W'),
        help="probe input size (default: the config's test images)")
    add_tool_args(parser, cfg_options=True)
    args = parser.parse_args()
    apply_compat_patches()
    apply_tool_args(args)
    register_all_modules()
    cfg = load_config(args.config, args.cfg_options)
    if 'plan' not in cfg.model or 'teacher' not in cfg.model:
        raise ConfigError(f'model.type={cfg.model.get("type")!r}: not a '
                          'recast config (no model.teacher / model.plan)')
    rows = check_plan(cfg.model.to_dict(), _probe(cfg, args.shape))
    print(plan_table(rows))
    print(f'plan ok: {len(rows)} blocks in {rows[-1]["stage"]} stages '
          f'({cfg.model.get("mode", "sequential")})')


if __name__ == '__main__':
    run_tool_main(main)
