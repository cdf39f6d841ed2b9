# Copyright (c) mmrecast contributors. All rights reserved.
"""Evaluate a checkpoint with the test split of a config.

Example:
    python tools/test.py configs/xxx.py work_dirs/xxx/epoch_1.pth
    bash tools/dist_test.sh configs/xxx.py work_dirs/xxx/epoch_1.pth 2
"""
import argparse

import mmengine
from mmengine.evaluator import DumpResults

from mmrecast.utils import apply_compat_patches, destroy_distributed
from mmrecast.utils.cli import (add_common_args, build_runner,
                                config_for_testing, dump_file)
from mmrecast.utils.errors import run_tool_main
from mmrecast.utils.weights import load_weights_into, names_no_file
from mmrecast.utils.work_dir import UntouchedIfNotStarted


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test (evaluate) a model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument(
        'checkpoint',
        help="checkpoint file; 'none' if the config loads its own weights "
        '(e.g. an ExternalBackbone with checkpoint=)')
    parser.add_argument(
        '--out', type=dump_file,
        help='file to dump the predictions (.pkl) or metrics (.json, .pkl, '
        '...) to')
    parser.add_argument(
        '--force', action='store_true', help='overwrite an existing --out')
    parser.add_argument(
        '--non-strict',
        action='store_true',
        help='load a checkpoint whose keys do not all match the model')
    parser.add_argument(
        '--out-item',
        choices=['metrics', 'pred'],
        help='what --out holds: the metrics, or the predictions (default)')
    add_common_args(parser)
    args = parser.parse_args()
    if args.out_item is not None and args.out is None:
        parser.error('--out-item needs --out FILE to know where to write')
    if args.out and args.out_item != 'metrics' and not args.out.endswith(
            ('.pkl', '.pickle')):
        parser.error(f'--out {args.out}: the predictions are written as a '
                     'pickle (.pkl); or give --out-item metrics')
    return args


def main() -> None:
    args = parse_args()
    apply_compat_patches()
    cfg = config_for_testing(args)
    # no training fields needed; the checkpoint is loaded below, strictly
    # unless --non-strict
    # a test that fails (its model or weights refused, data it cannot read)
    # leaves no log folder: it has nothing to resume
    with UntouchedIfNotStarted(cfg.work_dir):
        runner = build_runner(cfg)
        model = runner.model
        if not names_no_file(args.checkpoint):
            load_weights_into(
                getattr(model, 'module', model),
                args.checkpoint,
                field='checkpoint',
                strict=not args.non_strict)
        if args.out and args.out_item in ('pred', None):
            runner.test_evaluator.metrics.append(
                DumpResults(out_file_path=args.out))
        metrics = runner.test()
    if args.out and args.out_item == 'metrics':
        mmengine.dump(metrics, args.out)
    destroy_distributed()  # exits when distributed: everything is done


if __name__ == '__main__':
    run_tool_main(main)
