# Copyright (c) mmrecast contributors. All rights reserved.
"""Compare two classifiers (e.g. teacher and student): parameters, MACs,
latency at batch 1 and 64 (torch on the CPU, the GPU too when present;
their torch.export programs and onnxruntime with --runtime torch
torch.export onnxruntime), test accuracy and per-block
activation memory. Prints a Markdown table and writes it, with a PNG
chart, to --out-dir. The models are timed in turn, round by round; minimum
and median are reported, with a warning when the rounds spread widely.

Example:
    python tools/analysis/compare_models.py \\
        configs/demo/demo_resnet14_1xb128_mnist.py teacher.pth \\
        work_dirs/export/student.py work_dirs/export/student.pth \\
        --names teacher student --out-dir work_dirs/report \\
        --runtime torch onnxruntime
"""
import argparse
import os
import os.path as osp
import shutil
import tempfile

import torch

from mmrecast.analysis import (compare_latency, different_inputs, plot_reports,
                               profile_model, reports_to_markdown)
from mmrecast.apis import register_all_modules
from mmrecast.utils import apply_compat_patches, keep_freed_memory
from mmrecast.utils.cli import (add_tool_args, apply_tool_args, folder,
                                positive_float, positive_int, refuse_existing,
                                tool_description)
from mmrecast.utils.errors import run_tool_main


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=tool_description(__doc__))
    parser.add_argument('config_a')
    parser.add_argument(
        'checkpoint_a', help="its weights; 'none' if the config loads them")
    parser.add_argument('config_b')
    parser.add_argument('checkpoint_b')
    parser.add_argument('--names', nargs=2, default=['A', 'B'])
    parser.add_argument('--out-dir', type=folder,
                        default='work_dirs/compare_models')
    parser.add_argument(
        '--batch-sizes', type=positive_int, nargs='+', default=[1, 64])
    parser.add_argument(
        '--min-run-time', type=positive_float, default=0.5,
        help='seconds of timed rounds per latency (each round runs every '
        'model once)')
    parser.add_argument(
        '--runtime', nargs='+',
        choices=['torch', 'torch.export', 'onnxruntime'], default=['torch'],
        help='runtimes to time; onnxruntime exports both models to ONNX '
        '(into --out-dir) and also evaluates their accuracy there')
    parser.add_argument('--threads', type=positive_int, default=None,
                        help='CPU threads of torch and onnxruntime (default: '
                        'each runtime\'s choice)')
    parser.add_argument('--max-batches', type=positive_int, default=None,
                        help='evaluate on the first N test batches only')
    add_tool_args(parser, writes=True)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    apply_compat_patches()
    apply_tool_args(args)
    onnx = 'onnxruntime' in args.runtime
    outputs = ['report.md', 'report.png']
    if onnx:
        outputs += [f'{name}.onnx' for name in args.names]
    refuse_existing([osp.join(args.out_dir, name) for name in outputs],
                    args.force)
    register_all_modules()
    keep_freed_memory()
    if args.threads:
        torch.set_num_threads(args.threads)
    # the exports wait in scratch until both models are profiled: a model
    # refused on the way leaves nothing in --out-dir
    with tempfile.TemporaryDirectory() as scratch:
        profiled = [
            profile_model(
                name, config, ckpt, args.max_batches,
                osp.join(scratch, f'{name}.onnx') if onnx else None,
                args.threads)
            for name, config, ckpt in zip(
                args.names, (args.config_a, args.config_b),
                (args.checkpoint_a, args.checkpoint_b))
        ]
        os.makedirs(args.out_dir, exist_ok=True)
        for name in sorted(os.listdir(scratch)):  # with any weight files
            shutil.move(osp.join(scratch, name), osp.join(args.out_dir, name))
    reports, models, sessions = zip(*profiled)
    warned = compare_latency(reports, models, sessions, args.batch_sizes,
                             args.min_run_time,
                             export='torch.export' in args.runtime)
    table = reports_to_markdown(reports)
    gpu = torch.cuda.get_device_name() if torch.cuda.is_available() \
        else 'none'
    header = (f'# {args.names[0]} vs {args.names[1]}\n\n'
              f'CPU threads: {torch.get_num_threads()}; GPU: {gpu}.\n\n')
    mismatch = different_inputs(reports)
    if mismatch:
        warned.append(mismatch)
    warnings = ''.join(f'warning: {line}\n' for line in warned)
    with open(osp.join(args.out_dir, 'report.md'), 'w') as f:
        f.write(header + table + '\n![chart](report.png)\n' +
                (f'\n{warnings}' if warnings else ''))
    plot_reports(reports, osp.join(args.out_dir, 'report.png'))
    print(header + table + warnings)
    print(f'written: {osp.join(args.out_dir, "report.md")}, '
          f'{osp.join(args.out_dir, "report.png")}')


if __name__ == '__main__':
    run_tool_main(main)
