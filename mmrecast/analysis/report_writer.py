# Copyright (c) mmrecast contributors. All rights reserved.
"""Write :class:`~mmrecast.analysis.ModelReport` comparisons: a Markdown
table and a PNG chart."""
from typing import List, Optional, Sequence

from .model_report import ModelReport

__all__ = ['reports_to_markdown', 'plot_reports', 'different_inputs']


def _ratio(value: float, base: float) -> str:
    return f' ({value / base:.2f}x)' if base else ''


def different_inputs(reports: Sequence[ModelReport]) -> Optional[str]:
    """A warning when the models take inputs of different shapes (then
    they are not two forms of one classifier, their accuracies are on
    different test data and their latencies on different inputs), or
    are tested on different data (their accuracies do not compare)."""
    if len({tuple(r.input_shape) for r in reports}) > 1:
        return (f'the models take different inputs ({_shapes(reports)}): '
                'their accuracies and latencies do not compare; give '
                'configs of the same test data')
    if len({r.test_data for r in reports}) > 1:
        named = '; '.join(f'{r.name}: {r.test_data}' for r in reports)
        return (f'the models are tested on different data ({named}): '
                'their accuracies do not compare; give configs of the '
                'same test data')
    return None


def _shapes(reports: Sequence[ModelReport]) -> str:
    """'(C, H, W)', or 'A (..), B (..)' where the models' inputs differ."""
    shapes = [tuple(r.input_shape) for r in reports]
    if len(set(shapes)) == 1:
        return str(shapes[0])
    return ', '.join(f'{r.name} {shape}' for r, shape in zip(reports, shapes))


def reports_to_markdown(reports: Sequence[ModelReport]) -> str:
    """One column per model; ratios are relative to the first model."""
    base = reports[0]
    names = ' | '.join(r.name for r in reports)
    lines = [f'| | {names} |', '|---' * (len(reports) + 1) + '|']

    def row(label: str, values: List[str]) -> None:
        lines.append(f'| {label} | ' + ' | '.join(values) + ' |')

    row('parameters (M)', [
        f'{r.params / 1e6:.3f}' + _ratio(r.params, base.params)
        for r in reports
    ])
    row('MACs (M, BN folded)', [
        f'{r.macs / 1e6:.1f}' + _ratio(r.macs, base.macs) for r in reports
    ])
    for key in base.latency_ms:
        for stat, values in (('median', 'latency_ms'),
                             ('min', 'latency_min_ms')):
            row(f'latency {key} (ms, {stat})', [
                f'{getattr(r, values)[key]:.2f}' +
                _ratio(getattr(r, values)[key], getattr(base, values)[key])
                for r in reports
            ])
    for key in base.accuracy:
        row(key, [f'{r.accuracy.get(key, float("nan")):.2f}' for r in reports])
    row('largest block activations (KB / image)', [
        f'{max(r.activations.values()) / 1024:.1f}' for r in reports
    ])
    row('all block activations (KB / image)', [
        f'{sum(r.activations.values()) / 1024:.1f}' for r in reports
    ])
    lines.append('')
    lines.append(f'Input {_shapes(reports)}; latency of the forward '
                 'pass in eval mode without autograd, the models timed in '
                 'turn, round by round (torch: this process\'s threads; '
                 'onnxruntime: the ONNX export, the same threads with '
                 '--threads, else its own choice).')
    for r in reports:
        lines.append('')
        lines.append(f'Activations produced inside each block of {r.name} '
                     '(KB per image):')
        lines.append('')
        lines.append('| block | KB |')
        lines.append('|---|---|')
        for path, size in r.activations.items():
            lines.append(f'| {path} | {size / 1024:.1f} |')
    return '\n'.join(lines) + '\n'


def plot_reports(reports: Sequence[ModelReport], path: str) -> None:
    """Bar charts of size, cost, latency and accuracy, and the per-block
    activation memory, saved as a PNG."""
    import matplotlib
    matplotlib.use('Agg')  # files only, no display needed
    import matplotlib.pyplot as plt

    names = [r.name for r in reports]
    panels = [('parameters (M)', [r.params / 1e6 for r in reports]),
              ('MACs (M)', [r.macs / 1e6 for r in reports])]
    panels += [(f'latency {k} (ms, median)',
                [r.latency_ms[k] for r in reports])
               for k in reports[0].latency_ms]
    panels += [(k, [r.accuracy.get(k, 0) for r in reports])
               for k in reports[0].accuracy]
    cols = len(panels) + 1
    fig, axes = plt.subplots(1, cols, figsize=(3.2 * cols, 3.4))
    colors = [f'C{i}' for i in range(len(reports))]
    for ax, (title, values) in zip(axes, panels):
        ax.bar(names, values, color=colors)
        ax.set_title(title, fontsize=9)
        ax.tick_params(labelsize=8)
        for i, v in enumerate(values):
            ax.text(i, v, f'{v:.3g}', ha='center', va='bottom', fontsize=7)
    ax = axes[-1]
    for r, color in zip(reports, colors):
        ax.plot([v / 1024 for v in r.activations.values()],
                marker='.', color=color, label=r.name)
    ax.set_title('activations per block (KB / image)', fontsize=9)
    ax.set_xlabel('block (forward order)', fontsize=8)
    ax.legend(fontsize=7)
    ax.tick_params(labelsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
