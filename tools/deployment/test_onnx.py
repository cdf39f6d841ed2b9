# Copyright (c) mmrecast contributors. All rights reserved.
"""Evaluate an ONNX model in onnxruntime on a config's test set, with the
config's preprocessing and metrics, printed as tools/test.py prints them.

Example:
    python tools/deployment/test_onnx.py work_dirs/export/student.py \\
        work_dirs/export/student.onnx
"""
import argparse

import mmengine

from mmrecast.utils import apply_compat_patches
from mmrecast.utils.cli import (add_common_args, build_runner,
                                config_for_testing, dump_file,
                                tool_description)
from mmrecast.utils.errors import ConfigError, run_tool_main
from mmrecast.utils.work_dir import UntouchedIfNotStarted


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=tool_description(__doc__))
    parser.add_argument('config', help='the config the model was exported '
                        'from (its test data and metrics are used)')
    parser.add_argument('onnx_file', help='the .onnx model')
    parser.add_argument('--out', type=dump_file,
                        help='file to write the metrics to (.json)')
    parser.add_argument(
        '--force', action='store_true', help='overwrite an existing --out')
    add_common_args(parser)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    apply_compat_patches()
    cfg = config_for_testing(args)
    if cfg.launcher != 'none':
        raise ConfigError('--launcher: test_onnx.py runs in one process; '
                          'run it without dist_test.sh')
    preprocessor = cfg.model.get('data_preprocessor') \
        or cfg.get('data_preprocessor')
    cfg.model = dict(
        type='mmrecast.ONNXRuntimeClassifier',
        onnx_file=args.onnx_file,
        data_preprocessor=preprocessor)
    # the ONNX model is the model: nothing to initialise or load
    import mmrecast.deployment  # noqa: F401 (registers the classifier)
    with UntouchedIfNotStarted(cfg.work_dir):  # e.g. data of another shape
        metrics = build_runner(cfg).test()
    if args.out:
        mmengine.dump(metrics, args.out)


if __name__ == '__main__':
    run_tool_main(main)
