# Copyright (c) mmrecast contributors. All rights reserved.
"""Compare two classifiers (e.g. teacher and student): parameters, MACs,
latency at batch 1 and 64 (CPU; GPU too when present), test accuracy and
per-block activation memory. Prints a Markdown table and writes it, with a
PNG chart, to --out-dir.

Example:
    python tools/analysis/compare_models.py \\
        configs/demo/demo_resnet14_1xb128_mnist.py teacher.pth \\
        work_dirs/export/student.py work_dirs/export/student.pth \\
        --names teacher student --out-dir work_dirs/report
"""
import argparse
import os
import os.path as osp

import torch

from mmrecast.analysis import plot_reports, profile_model, reports_to_markdown
from mmrecast.apis import register_all_modules
from mmrecast.utils import apply_compat_patches, keep_freed_memory
from mmrecast.utils.cli import add_tool_args, apply_tool_args, refuse_existing
from mmrecast.utils.errors import run_tool_main


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config_a')
    parser.add_argument('checkpoint_a')
    parser.add_argument('config_b')
    parser.add_argument('checkpoint_b')
    parser.add_argument('--names', nargs=2, default=['A', 'B'])
    parser.add_argument('--out-dir', default='work_dirs/compare_models')
    parser.add_argument('--batch-sizes', type=int, nargs='+', default=[1, 64])
    parser.add_argument(
        '--min-run-time', type=float, default=0.5,
        help='seconds of timed forward passes per latency (median)')
    parser.add_argument('--threads', type=int, default=None,
                        help='CPU threads (default: torch\'s choice)')
    parser.add_argument('--max-batches', type=int, default=None,
                        help='evaluate on the first N test batches only')
    add_tool_args(parser, writes=True)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    apply_compat_patches()
    apply_tool_args(args)
    refuse_existing([
        osp.join(args.out_dir, name) for name in ('report.md', 'report.png')
    ], args.force)
    register_all_modules()
    keep_freed_memory()
    if args.threads:
        torch.set_num_threads(args.threads)
    reports = [
        profile_model(name, config, ckpt, args.batch_sizes, args.min_run_time,
                      args.max_batches)
        for name, config, ckpt in zip(args.names,
                                      (args.config_a, args.config_b),
                                      (args.checkpoint_a, args.checkpoint_b))
    ]
    table = reports_to_markdown(reports)
    gpu = torch.cuda.get_device_name() if torch.cuda.is_available() \
        else 'none'
    header = (f'# {args.names[0]} vs {args.names[1]}\n\n'
              f'CPU threads: {torch.get_num_threads()}; GPU: {gpu}.\n\n')
    os.makedirs(args.out_dir, exist_ok=True)
    with open(osp.join(args.out_dir, 'report.md'), 'w') as f:
        f.write(header + table + '\n![chart](report.png)\n')
    plot_reports(reports, osp.join(args.out_dir, 'report.png'))
    print(header + table)
    print(f'written: {osp.join(args.out_dir, "report.md")}, '
          f'{osp.join(args.out_dir, "report.png")}')


if __name__ == '__main__':
    run_tool_main(main)
