# Copyright (c) mmrecast contributors. All rights reserved.
"""Export a classifier (teacher or student) to ONNX (``F.onnx``) or as a
torch.export program (``F.pt2``); --verify checks on real test images that
onnxruntime (or the loaded program) gives torch's logits.

The exported model takes preprocessed images (the config's
``data_preprocessor`` applied: mean/std, channel order) and returns logits.
A ``.pt2`` file loads with torch alone:
``torch.export.load('F.pt2').module()(images)``.

Example:
    python tools/deployment/pytorch2onnx.py \\
        work_dirs/export/student.py work_dirs/export/student.pth \\
        --output-file work_dirs/export/student.onnx --verify
    python tools/deployment/pytorch2onnx.py CONFIG CHECKPOINT \\
        --output-file student.pt2 --dynamic-export --verify
"""
import argparse
import sys

import torch

from mmrecast.analysis import load_classifier
from mmrecast.apis import register_all_modules
from mmrecast.deployment import (compare_logits, export_onnx, export_program,
                                 ort_session, preprocessed_test_images,
                                 run_program, run_session)
from mmrecast.utils import apply_compat_patches
from mmrecast.utils.cli import (add_tool_args, apply_tool_args, load_config,
                                make_parent, non_negative_float, output_file,
                                positive_int, refuse_existing,
                                tool_description)
from mmrecast.utils.config_check import check_config
from mmrecast.utils.errors import run_tool_main


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=tool_description(__doc__))
    parser.add_argument('config', help='classifier config')
    parser.add_argument(
        'checkpoint',
        help="its weights; 'none' if the config loads them itself")
    parser.add_argument(
        '--output-file', required=True, type=output_file,
        help='the .onnx file, or a .pt2 file for a torch.export program')
    parser.add_argument(
        '--shape', type=positive_int, nargs=2, metavar=('H', 'W'),
        help="input height and width (default: the test images' size)")
    parser.add_argument(
        '--dynamic-export', action='store_true',
        help='let the batch size, height and width vary')
    parser.add_argument('--opset', type=positive_int,
                        help="ONNX opset (torch's default if not given)")
    parser.add_argument(
        '--verify', action='store_true',
        help='compare onnxruntime (or the saved program) with torch on real '
        'test images')
    parser.add_argument(
        '--verify-images', type=positive_int, default=32,
        help='how many test images --verify runs (default 32)')
    parser.add_argument(
        '--rtol', type=non_negative_float, default=1e-4,
        help='largest logit difference --verify accepts, relative to the '
        'largest logit (default 1e-4)')
    add_tool_args(parser, writes=True, cfg_options=True)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    apply_compat_patches()
    apply_tool_args(args)
    refuse_existing([args.output_file], args.force)
    register_all_modules()
    cfg = load_config(args.config, args.cfg_options)
    check_config(cfg)
    model, cfg = load_classifier(cfg, args.checkpoint)
    images = preprocessed_test_images(
        model, cfg, max(1, args.verify_images) if args.verify else 1)
    example = images[:1]
    if args.shape:
        example = torch.zeros(1, example.shape[1], *args.shape)
    program = args.output_file.endswith('.pt2')
    if program:
        torch.export.save(
            export_program(model, example, args.dynamic_export),
            make_parent(args.output_file))
    else:
        export_onnx(model, example, make_parent(args.output_file),
                    args.dynamic_export, args.opset)
    dynamic = ' (batch, height, width dynamic)' if args.dynamic_export \
        else ''
    print(f'exported {args.output_file}: inputs {tuple(example.shape)}'
          f'{dynamic}, preprocessed as the config says; outputs logits',
          flush=True)
    if not args.verify:
        return
    if args.shape and not args.dynamic_export \
            and tuple(args.shape) != tuple(images.shape[2:]):
        images = torch.nn.functional.interpolate(
            images, size=tuple(args.shape), mode='bilinear')
    with torch.no_grad():
        expected = model(images, mode='tensor')
    if program:
        runtime = 'torch.export'
        actual = run_program(torch.export.load(args.output_file), images)
    else:
        runtime = 'onnxruntime'
        actual = run_session(ort_session(args.output_file), images)
    parity = compare_logits(expected, actual)
    if not parity.ok(args.rtol):
        print(f'parity failed: image {parity.worst_index} differs most '
              f'(top-1 torch {parity.worst_torch_top1}, {runtime} '
              f'{parity.worst_runtime_top1}); tolerance {args.rtol:g} x '
              f'{parity.scale:.3g}')
    print(parity.summary(), flush=True)
    if not parity.ok(args.rtol):
        sys.exit(1)


if __name__ == '__main__':
    run_tool_main(main)
