# Copyright (c) mmrecast contributors. All rights reserved.
"""The evaluated plans of a search: table and plot."""
from typing import List, Mapping, Sequence

from mmrecast.utils.errors import ConfigError
from .selection import format_amount

__all__ = ['pareto_table', 'latency_checks', 'plot_pareto', 'plot_search',
           'runtime_label', 'on_front']


def runtime_label(runtime: str, device: str) -> str:
    """Where students were timed, in words: 'onnxruntime' or 'torch
    (DEVICE)'."""
    return 'onnxruntime' if runtime == 'onnxruntime' else f'torch ({device})'


def on_front(plans: Sequence[dict]) -> List[bool]:
    """Whether each plan is Pareto-optimal: no other is at least as fast
    (measured) and scores higher."""
    return [
        not any(o['measured_ms'] <= p['measured_ms'] and o['score']
                > p['score'] for o in plans) for p in plans
    ]


def pareto_table(plans: Sequence[dict], fit_teacher_ms: float,
                 teacher_ms: float, report_ms: float,
                 report_batch: int) -> str:
    """A markdown table: every evaluated plan, predicted and measured
    latency, the prediction's error (as fractions of the teacher: the one
    timed when the latency model was fitted, ``fit_teacher_ms``, and the
    one timed with the plans, ``teacher_ms``), the summed score, the KL of
    the whole plan (where it was measured), and the latency at the report
    batch size (teacher: ``report_ms``)."""
    rows = [
        '| plan | swapped | predicted ms | measured ms | x teacher | '
        f'error | b{report_batch} ms | b{report_batch} x teacher | score | '
        'joint KL | params | MACs | front |',
        '|---|---|---|---|---|---|---|---|---|---|---|---|---|'
    ]
    for plan, front in zip(plans, on_front(plans)):
        measured = plan['measured_ms'] / teacher_ms
        error = plan['predicted_ms'] / fit_teacher_ms / measured - 1
        rows.append(
            f"| {plan['name']} | {len(plan['choice'])} | "
            f"{plan['predicted_ms']:.3f} | {plan['measured_ms']:.3f} | "
            f"{measured:.2f} | {error:+.1%} | "
            f"{plan[f'measured_ms_b{report_batch}']:.3f} | "
            f"{plan[f'measured_ms_b{report_batch}'] / report_ms:.2f} | "
            f"{plan['score']:.4f} | {_maybe(plan.get('joint_kl'))} | "
            f"{format_amount('params', plan['params'])} | "
            f"{format_amount('macs', plan['macs'])} | "
            f"{'*' if front else ''} |")
    return '\n'.join(rows)


def latency_checks(plans: Sequence[dict], fit_teacher_ms: float,
                   teacher_ms: float) -> List[str]:
    """A line per budget's plan: its predicted and measured latency and
    the prediction's error, flagged above 10 %. Both are fractions of a
    teacher timed alongside (``fit_teacher_ms`` with the latency model's
    fit, ``teacher_ms`` with the plans), since a shared machine's speed
    drifts between the two."""
    lines = []
    for p in plans:
        if p['kind'] != 'chosen':
            continue
        predicted = p['predicted_ms'] / fit_teacher_ms
        measured = p['measured_ms'] / teacher_ms
        error = predicted / measured - 1
        lines.append(
            f"latency check {p['name']}: predicted {predicted:.3f}x "
            f"({p['predicted_ms']:.3f} ms), measured {measured:.3f}x "
            f"({p['measured_ms']:.3f} ms) the teacher: {error:+.1%}"
            f"{'' if abs(error) <= 0.10 else ', above 10 %'}")
    return lines


def _maybe(value) -> str:
    return '-' if value is None else f'{value:.4f}'


def plot_pareto(plans: Sequence[dict], teacher_ms: float, score: str,
                out_file: str, timed: str = '') -> None:
    """Score against measured latency (x teacher): every plan a dot, the
    budgets' chosen plans marked and named above, uniform plans as squares
    named below; ``timed`` says where (e.g. 'batch 1, onnxruntime')."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=120)
    names = []
    for kind, label, style in (
            ('frontier', 'latency sweep', dict(marker='.', c='0.6')),
            ('uniform', 'uniform plan', dict(marker='s', c='C0')),
            ('chosen', 'budget plan', dict(marker='*', c='C3', s=140))):
        chosen = [p for p in plans if p['kind'] == kind]
        if not chosen:
            continue
        ax.scatter([p['measured_ms'] / teacher_ms for p in chosen],
                   [p['score'] for p in chosen],
                   label=label, zorder=3, **style)
        if kind != 'frontier':
            names += [
                ax.annotate(p['name'], (p['measured_ms'] / teacher_ms,
                                        p['score']), fontsize=7,
                            xytext=(4, 5 if kind == 'chosen' else -11),
                            textcoords='offset points') for p in chosen
            ]
    ax.set(xlabel='measured latency (x teacher'
           f'{f", {timed}" if timed else ""})',
           ylabel=f'summed score ({score}; 0 = teacher)',
           title='searched plans')
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    _unstack(fig, names[::-1])  # the budgets' names stay where they are
    fig.savefig(out_file)
    plt.close(fig)


def _unstack(fig, names: Sequence) -> None:
    """Move each name (an ``Annotation``) a line further from its point
    while it overlaps one placed before it: plans of about the same
    latency and score (two uniform plans) would print over each other.
    matplotlib places no labels itself."""
    renderer = fig.canvas.get_renderer()
    placed = []
    for name in names:
        x, y = name.xyann
        step = 8 if y > 0 else -8  # away from the point
        for _ in range(len(placed) + 1):  # enough to pass them all
            box = name.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in placed):
                break
            y += step
            name.xyann = (x, y)
        placed.append(name.get_window_extent(renderer))


def plot_search(search: Mapping, out_file: str) -> None:
    """:func:`plot_pareto` of a search as its ``search.json`` holds it, so
    that a committed plot is redrawn from the search's log.

    Raises:
        ConfigError: The search holds no measured plans.
    """
    plans = search.get('plans') or []
    if not plans or any(p.get('measured_ms') is None for p in plans):
        raise ConfigError('the search holds no measured plans; give the '
                          'search.json that tools/recast_search.py wrote')
    plot_pareto(plans, search['teacher_ms'], search['score'], out_file,
                f"batch {search['batch']}, "
                f"{runtime_label(search['runtime'], search['device'])}")
