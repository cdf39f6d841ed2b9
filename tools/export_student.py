# Copyright (c) mmrecast contributors. All rights reserved.
"""Export the student of a distill or recast run as a classifier of its own:
OUT_DIR/<name>.py (config) + OUT_DIR/<name>.pth (weights only).

Example:
    python tools/export_student.py CONFIG work_dirs/run/epoch_164.pth \
        work_dirs/run/export
    python tools/test.py work_dirs/run/export/student.py \
        work_dirs/run/export/student.pth
"""
import argparse

from mmrecast.apis import export_student
from mmrecast.utils import apply_compat_patches
from mmrecast.utils.cli import (add_tool_args, apply_tool_args, file_stem,
                                folder, load_config, tool_description)
from mmrecast.utils.config_check import check_config
from mmrecast.utils.errors import run_tool_main


def main() -> None:
    parser = argparse.ArgumentParser(description=tool_description(__doc__))
    parser.add_argument('config', help='config of the distill/recast run')
    parser.add_argument('checkpoint', help='checkpoint of that run, or '
                        'its work dir (the latest checkpoint there)')
    parser.add_argument('out_dir', type=folder,
                        help='folder for the exported files')
    parser.add_argument(
        '--name', type=file_stem, default='student',
        help='file name stem (student)')
    add_tool_args(parser, cfg_options=True)
    args = parser.parse_args()
    apply_compat_patches()
    apply_tool_args(args)
    cfg = load_config(args.config, args.cfg_options)
    check_config(cfg)
    config_path, ckpt_path = export_student(cfg, args.checkpoint,
                                            args.out_dir, args.name)
    print(f'exported {config_path} and {ckpt_path}')


if __name__ == '__main__':
    run_tool_main(main)
