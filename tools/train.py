# Copyright (c) mmrecast contributors. All rights reserved.
"""Train (or recast, or distill) from a config.

Example:
    python tools/train.py configs/xxx.py --cfg-options train_cfg.max_iters=20
    bash tools/dist_train.sh configs/xxx.py 2 --resume
"""
import argparse
import os.path as osp
import time

from mmengine.config import Config

from mmrecast.utils import apply_compat_patches, destroy_distributed
from mmrecast.utils.checkpoint import latest_intact_checkpoint
from mmrecast.utils.cli import (add_common_args, build_runner, load_config,
                                merge_common_args, positive_float)
from mmrecast.utils.config_check import check_run_config
from mmrecast.utils.errors import print_warning, run_tool_main
from mmrecast.utils.weights import existing_checkpoint
from mmrecast.utils.work_dir import UntouchedIfNotStarted


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from this checkpoint; without a path, resume from the '
        'latest checkpoint in the work directory')
    parser.add_argument(
        '--amp', action='store_true', help='mixed-precision training (GPU)')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='do not evaluate checkpoints during training')
    parser.add_argument(
        '--non-strict',
        action='store_true',
        help='let load_from / resume load a checkpoint whose keys do not '
        'all match the model')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the learning rate by the actual / base batch size')
    parser.add_argument(
        '--deadline',
        type=positive_float,
        metavar='SECONDS',
        help='end training within SECONDS of now: if the machine runs '
        'slower than the schedule assumed, the run is shortened and its '
        'cosine schedule re-aimed (DeadlineHook; iteration-based loops)')
    add_common_args(parser)
    return parser.parse_args()


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Merge the training arguments into the config."""
    if args.amp:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    if args.resume == 'auto':
        cfg.resume, cfg.load_from = True, None
    elif args.resume is not None:
        cfg.resume, cfg.load_from = True, args.resume
    if args.non_strict and cfg.get('default_hooks'):
        cfg.default_hooks.strict_load = None
    if args.auto_scale_lr:
        cfg.setdefault('auto_scale_lr', {})['enable'] = True
    if args.deadline is not None:
        hook = dict(type='mmrecast.DeadlineHook',
                    deadline=time.time() + args.deadline)
        cfg.custom_hooks = [*cfg.get('custom_hooks', []), hook]
    cfg = merge_common_args(cfg, args)
    if args.no_validate:  # after --cfg-options, which may name val fields
        cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    return cfg


def main() -> None:
    args = parse_args()
    apply_compat_patches()
    cfg = merge_args(load_config(args.config), args)
    if args.resume not in (None, 'auto') and '://' not in args.resume:
        # named as the user gave it, not as the load_from it becomes
        existing_checkpoint(osp.expanduser(args.resume), '--resume')
    if cfg.get('resume') and cfg.get('load_from') is None:
        cfg.load_from, fallback = latest_intact_checkpoint(cfg.work_dir)
        if fallback:
            print_warning(fallback)
        elif cfg.load_from is None:  # mmengine would start without a word
            print_warning(f'--resume: {cfg.work_dir} holds no checkpoint '
                          'yet; training from the start')
    if cfg.get('resume') and cfg.get('load_from') \
            and isinstance(cfg.get('model'), dict):
        # the checkpoint restores the whole model: an earlier stage's
        # weights are neither read nor needed
        cfg.model.pop('init_from', None)
    check_run_config(cfg)
    with UntouchedIfNotStarted(cfg.work_dir) as run:
        run.runner = build_runner(cfg)
        run.runner.train()
    destroy_distributed()


if __name__ == '__main__':
    run_tool_main(main, resumable=True)
