# Copyright (c) mmrecast contributors. All rights reserved.
"""List the images of a config's datasets that cannot be read, before a
long run finds them one by one.

Example:
    python tools/misc/verify_dataset.py CONFIG [--splits train val]
"""
import argparse
import sys

from mmrecast.datasets import unreadable_images
from mmrecast.utils import apply_compat_patches
from mmrecast.utils.cli import (add_tool_args, apply_tool_args, load_config,
                                natural_int, tool_description)
from mmrecast.utils.errors import ConfigError, run_tool_main


def main() -> None:
    parser = argparse.ArgumentParser(description=tool_description(__doc__))
    parser.add_argument('config')
    parser.add_argument(
        '--splits', nargs='+', default=['train', 'val', 'test'],
        choices=['train', 'val', 'test'])
    parser.add_argument('--workers', type=natural_int, default=4,
                        help='images decoded at once')
    add_tool_args(parser, cfg_options=True)
    args = parser.parse_args()
    apply_compat_patches()
    apply_tool_args(args)
    cfg = load_config(args.config, args.cfg_options)
    bad_total = 0
    for split in args.splits:
        loader = cfg.get(f'{split}_dataloader')
        if not loader:
            continue
        if 'dataset' not in loader:
            raise ConfigError(f'{split}_dataloader.dataset: missing')
        checked, bad = unreadable_images(
            loader.dataset, cfg.get('default_scope', 'mmrecast'),
            args.workers)
        for path, why in bad:
            print(f'{split}: {path}: {why}')
        print(f'{split}: {checked} image files checked, {len(bad)} '
              'unreadable' + ('' if checked else ' (held in memory)'))
        bad_total += len(bad)
    sys.exit(1 if bad_total else 0)


if __name__ == '__main__':
    run_tool_main(main)
