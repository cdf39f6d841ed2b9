# Copyright (c) mmrecast contributors. All rights reserved.
"""Plot accuracy against wall time from ``recast_budget.py`` results and
print them as a Markdown table.

A result is a run's ``result.json`` or its ``summary.log`` (the file kept
with a reported number), so a committed plot is redrawn from its logs.

Example:
    python tools/analysis/plot_budget.py \
        work_dirs/recast_budget/*/result.json --out budget.png
"""
import argparse
import statistics
from collections import defaultdict

from mmrecast.utils.cli import (add_plot_args, make_parent, refuse_existing,
                                tool_description)
from mmrecast.utils.errors import run_tool_main


def main() -> None:
    parser = argparse.ArgumentParser(description=tool_description(__doc__))
    parser.add_argument('results', nargs='+',
                        help='result.json or summary.log files')
    add_plot_args(parser)
    args = parser.parse_args()
    refuse_existing([args.out], args.force)

    from mmrecast.analysis.budget import read_result
    runs = defaultdict(list)
    for path in args.results:
        result = read_result(path)
        runs[result['method']].append(
            (result['wall_s'] / 60, result['top1'], result['budget_s']))

    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6, 4), dpi=120)
    print('| method | budget (s) | wall (s) | top-1 |\n|---|---|---|---|')
    for i, (method, points) in enumerate(sorted(runs.items())):
        points.sort()
        # every run a dot; the line joins each budget's mean, so repeats
        # of one budget do not zigzag; past the 10 colours of the cycle,
        # another marker keeps the methods apart
        dots = ax.plot([p[0] for p in points], [p[1] for p in points],
                       'os^D'[i // 10 % 4], label=method)
        runs_of = defaultdict(list)  # budget -> its runs' points
        for point in points:
            runs_of[point[2]].append(point)
        means = [[statistics.fmean(p[i] for p in runs_of[b])
                  for b in sorted(runs_of)] for i in (0, 1)]
        ax.plot(*means, '-', color=dots[0].get_color())
        for minutes, top1, budget in points:
            print(f'| {method} | {budget:g} | {minutes * 60:.0f} | '
                  f'{top1:.2f} |')
    ax.set_xlabel('wall time, everything included (min)')
    ax.set_ylabel('top-1 of the exported student (%)')
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(make_parent(args.out))
    print(f'wrote {args.out}')


if __name__ == '__main__':
    run_tool_main(main)
