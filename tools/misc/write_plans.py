# Copyright (c) mmrecast contributors. All rights reserved.
"""Write plan folders of a finished plan search again, from its
search.json and the library: no scoring, no timing.

The search writes a folder for each budget and uniform plan; this tool
writes any plan of its table (a point of the latency sweep too) on
another machine, after a clean-up, or into another folder, the same as
the search would.

Example:
    python tools/misc/write_plans.py configs/recast_search/\\
recast-search_resnet20-akamaster_1xb64_cifar10-folder_library.py \\
        --checkpoint work_dirs/library --search work_dirs/search \\
        --plans latency=0.35x "all BasicBlockToConv" --work-dir work_dirs/p
"""
import argparse
import difflib
import os.path as osp

from mmrecast.apis import register_all_modules
from mmrecast.search import (load_library, plan_folder, read_search,
                             search_configs, write_search_plan)
from mmrecast.utils import apply_compat_patches
from mmrecast.utils.cli import (add_tool_args, apply_tool_args, load_config,
                                refuse_existing)
from mmrecast.utils.errors import ConfigError, run_tool_main


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='the CandidateLibrary config searched')
    parser.add_argument('--checkpoint', required=True,
                        help='the trained library (file or work dir)')
    parser.add_argument('--search', required=True,
                        help="the search's search.json (or its work dir)")
    parser.add_argument('--plans', nargs='+',
                        help="names in the search's table (default: the "
                        'plans the search wrote)')
    parser.add_argument('--work-dir',
                        help="default: the search's work dir")
    add_tool_args(parser, writes=True, cfg_options=True)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    apply_compat_patches()
    apply_tool_args(args)
    register_all_modules()
    path, search = read_search(args.search, '--search')
    # a sweep point may share its name with a budget's (calibrated) plan:
    # the name is the plan the search wrote, as its folder is
    plans = {p['name'].replace(' ', '-'): p for p in sorted(
        search['plans'], key=lambda p: p['kind'] != 'frontier')}
    names = [n.replace(' ', '-') for n in args.plans or [
        p['name'] for p in search['plans'] if p['kind'] != 'frontier']]
    for name in names:
        if name not in plans:
            close = difflib.get_close_matches(name, plans, n=1)
            raise ConfigError(
                f'--plans {name}: not a plan of {path}'
                f'{f"; did you mean {close[0]!r}?" if close else ""} '
                f'(it has {", ".join(plans)})')
    work_dir = args.work_dir or osp.dirname(path)
    refuse_existing([plan_folder(work_dir, n) for n in names], args.force)
    cfg = load_config(args.config, args.cfg_options)
    search_cfg = search_configs(cfg)
    library = load_library(cfg, args.checkpoint)
    for name in names:
        for block, index in plans[name]['choice'].items():
            if block not in library.blocks or not 0 <= index < len(
                    library.options(block)):
                raise ConfigError(
                    f'{path}: {name} takes candidate {index} of {block}, '
                    f'which {args.config} does not have; is it the search '
                    'of this library?')
    for name in names:
        out_dir = write_search_plan(library, plans[name], search['batch'],
                                    work_dir, args.config, search_cfg)
        print(f'{plans[name]["name"]}: {out_dir}/finetune.py')


if __name__ == '__main__':
    run_tool_main(main)
