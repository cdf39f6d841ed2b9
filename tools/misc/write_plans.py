# Copyright (c) mmrecast contributors. All rights reserved.
"""Write plan folders of a finished plan search again, from its
search.json and the library: no scoring, no timing.

The search writes a folder for each budget and uniform plan; this tool
writes any plan of its table (a point of the latency sweep too) on
another machine, after a clean-up, or into another folder, the same as
the search would. ``--choose`` writes a plan of your own from the same
library, with its latency as the search's model predicts it.

Example:
    python tools/misc/write_plans.py configs/recast_search/\\
recast-search_resnet20-akamaster_1xb64_cifar10-folder_library.py \\
        --checkpoint work_dirs/library --search work_dirs/search \\
        --plans latency=0.35x "all BasicBlockToConv" --work-dir work_dirs/p \\
        --choose two-removed "backbone.*=BasicBlockToConv" \\
        "backbone.layer1.[01]=BlockToShortcut"
"""
import argparse
import difflib
import os.path as osp
from typing import List, Tuple

from mmrecast.apis import register_all_modules
from mmrecast.search import (candidate_names, load_latency_table,
                             load_searched_library, parse_choice, plan_folder,
                             read_search, search_configs, write_search_plan)
from mmrecast.utils import apply_compat_patches
from mmrecast.utils.cli import (add_tool_args, apply_tool_args, folder,
                                load_config, refuse_existing, tool_description)
from mmrecast.utils.errors import ConfigError, run_tool_main


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=tool_description(__doc__))
    parser.add_argument('config', help='the CandidateLibrary config searched')
    parser.add_argument('--checkpoint',
                        help='the trained library (file or work dir); not '
                        'for a library of removals alone')
    parser.add_argument('--search', required=True,
                        help="the search's search.json (or its work dir)")
    parser.add_argument('--plans', nargs='+',
                        help="names in the search's table (default: the "
                        'plans the search wrote; none with --choose)')
    parser.add_argument(
        '--choose', nargs='+', action='append', default=[],
        metavar=('NAME', 'BLOCKS=CANDIDATE'),
        help='a plan of your own, written as plan_NAME: BLOCKS is a block '
        'or a glob (backbone.layer1.*), CANDIDATE a candidate name '
        '(BlockToShortcut), its index, or keep; later pairs win (repeat '
        'the option for more plans)')
    parser.add_argument('--work-dir', type=folder,
                        help="default: the search's work dir")
    add_tool_args(parser, writes=True, cfg_options=True)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    apply_compat_patches()
    apply_tool_args(args)
    register_all_modules()
    path, search = read_search(args.search, '--search', ('plans', 'batch'))
    # a sweep point may share its name with a budget's (calibrated) plan:
    # the name is the plan the search wrote, as its folder is
    plans = {p['name'].replace(' ', '-'): p for p in sorted(
        search['plans'], key=lambda p: p['kind'] != 'frontier')}
    names = [n.replace(' ', '-') for n in args.plans or [
        p['name'] for p in search['plans']
        if p['kind'] != 'frontier' and not args.choose]]
    for name in names:
        if name not in plans:
            close = difflib.get_close_matches(name, plans, n=1)
            raise ConfigError(
                f'--plans {name}: not a plan of {path}'
                f'{f"; did you mean {close[0]!r}?" if close else ""} '
                f'(it has {", ".join(plans)})')
    own = [pairs[0].replace(' ', '-') for pairs in args.choose]
    for name, pairs in zip(own, args.choose):
        if (len(pairs) < 2 or '=' in name or name in names
                or own.count(name) > 1):
            raise ConfigError(
                f'--choose {" ".join(pairs)}: give a name of its own, then '
                'BLOCKS=CANDIDATE pairs')
    work_dir = args.work_dir or osp.dirname(path)
    refuse_existing([plan_folder(work_dir, n) for n in names + own],
                    args.force)
    cfg = load_config(args.config, args.cfg_options)
    search_cfg = search_configs(cfg)
    library = load_searched_library(cfg, args.checkpoint)
    for name in names:
        for block, index in plans[name]['choice'].items():
            if block not in library.blocks or not 0 <= index < len(
                    library.options(block)):
                raise ConfigError(
                    f'{path}: {name} takes candidate {index} of {block}, '
                    f'which {args.config} does not have; is it the search '
                    'of this library?')
    own_plans = _own_plans(args.choose, library, search, path)
    for name in names:
        out_dir = write_search_plan(library, plans[name], search['batch'],
                                    work_dir, args.config, search_cfg)
        print(f'{plans[name]["name"]}: {out_dir}/finetune.py')
    for plan, line in own_plans:
        out_dir = write_search_plan(library, plan, search['batch'],
                                    work_dir, args.config, search_cfg)
        print(f'{line}: {out_dir}/finetune.py')


def _own_plans(choose: List[List[str]], library, search: dict,
               path: str) -> List[Tuple[dict, str]]:
    """The ``--choose`` plans as entries of ``search.json``, each with a
    line saying what it swaps and, where the search saved its latency
    model, the latency that model predicts."""
    names = candidate_names(library)
    table = (load_latency_table(path, library)
             if 'savings' in search.get('table', {}) else None)
    plans = []
    for name, *pairs in choose:
        choice = parse_choice(pairs, names, f'--choose {name}',
                              library.requirements())
        line = f'{name}: {len(choice)} blocks swapped'
        ms = None
        if table is not None:
            ms = table.predict(choice)
            line += (f', predicted {ms:.3f} ms at batch {table.batch} '
                     f'({ms / table.teacher_ms:.3f}x the teacher)')
        plans.append((dict(name=name, kind='own', choice=choice,
                           predicted_ms=ms), line))
    return plans


if __name__ == '__main__':
    run_tool_main(main)
