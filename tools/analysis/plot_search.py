# Copyright (c) mmrecast contributors. All rights reserved.
"""Redraw a plan search's Pareto plot (summed score against measured
latency, the budgets' plans and the uniform plans named) from its
``search.json``, as ``tools/recast_search.py`` drew it: a committed plot
is redrawn from its log, and a search copied without its ``pareto.png``
gets it back.

Example:
    python tools/analysis/plot_search.py \
        configs/recast_search/logs/factorized/search.json --out pareto.png
"""
import argparse

from mmrecast.utils.cli import (add_plot_args, make_parent, refuse_existing,
                                tool_description)
from mmrecast.utils.errors import ConfigError, run_tool_main


def main() -> None:
    parser = argparse.ArgumentParser(description=tool_description(__doc__))
    parser.add_argument('search',
                        help="a search's search.json (or its work dir)")
    add_plot_args(parser)
    args = parser.parse_args()
    refuse_existing([args.out], args.force)

    from mmrecast.search.pareto import plot_search
    from mmrecast.search.search_file import read_search
    path, search = read_search(args.search, 'search')
    try:
        plot_search(search, make_parent(args.out))
    except ConfigError as error:
        raise ConfigError(f'{path}: {error}') from None
    print(f"wrote {args.out}: {len(search['plans'])} plans")


if __name__ == '__main__':
    run_tool_main(main)
