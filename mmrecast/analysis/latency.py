# Copyright (c) mmrecast contributors. All rights reserved.
"""Latency of several models measured together, round by round, in torch
(eager or a ``torch.export`` program) and in ONNX Runtime."""
import statistics
from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence

import torch
import torch.nn as nn

from .timing import interleaved_times, time_call

__all__ = [
    'LatencyStats', 'interleaved_latency', 'forward_fn', 'exported_module',
    'compare_latency',
    'BUSY_SPREAD'
]

#: median / minimum above which the rounds' spread suggests a busy machine
BUSY_SPREAD = 1.5


@dataclass
class LatencyStats:
    """Minimum and median of one model's timed rounds, in ms."""
    min_ms: float
    median_ms: float

    @property
    def spread(self) -> float:
        return self.median_ms / self.min_ms


def interleaved_latency(fns: Sequence[Callable[[], object]],
                        min_run_time: float = 0.5,
                        min_rounds: int = 5) -> List[LatencyStats]:
    """Time ``fns`` in turn, round by round, for about ``min_run_time``
    seconds, so that a slow spell of a shared machine hits every model
    alike; the minimum is the least disturbed time, the median the usual
    one."""
    for fn in fns:  # warm-up (allocations, lazy initialisation)
        fn()
    one_round = sum(time_call(fn) for fn in fns)
    rounds = max(min_rounds, int(min_run_time / max(one_round, 1e-6)))
    times = interleaved_times(fns, rounds, warmup=0)
    return [
        LatencyStats(
            min_ms=1000 * min(t[i] for t in times),
            median_ms=1000 * statistics.median(t[i] for t in times))
        for i in range(len(fns))
    ]


def forward_fn(batch_size: int,
               input_shape: Sequence[int],
               model: Optional[nn.Module] = None,
               session=None,
               device: str = 'cpu',
               program: Optional[nn.Module] = None) -> Callable[[], object]:
    """One forward pass of ``batch_size`` random images: the torch
    ``model`` in eval mode without autograd on ``device``, the onnxruntime
    ``session``, or the module of a ``torch.export`` ``program`` (already
    on its device)."""
    x = torch.randn(batch_size, *input_shape)
    if session is not None:
        feed = {session.get_inputs()[0].name: x.numpy()}
        return lambda: session.run(None, feed)
    x = x.to(device)
    if program is not None:
        model, kwargs = program, {}
    else:
        model, kwargs = model.eval().to(device), dict(mode='tensor')

    def forward():
        with torch.no_grad():
            return model(x, **kwargs)

    return forward


def exported_module(model: nn.Module, input_shape: Sequence[int],
                    device: str) -> nn.Module:
    """The runnable module of ``model``'s ``torch.export`` program, traced
    on ``device`` with a free batch size: what a deployment that loads the
    ``.pt2`` file runs."""
    from mmrecast.deployment import BATCH, export_program
    model = model.eval().to(device)
    example = torch.randn(2, *input_shape, device=device)
    return export_program(model, example, dynamic=BATCH).module()


def compare_latency(reports: Sequence,
                    models: Sequence[nn.Module],
                    sessions: Sequence,
                    batch_sizes: Sequence[int] = (1, 64),
                    min_run_time: float = 0.5,
                    export: bool = False) -> List[str]:
    """Fill the ``latency_ms`` (median) and ``latency_min_ms`` of
    ``reports`` (:class:`~mmrecast.analysis.ModelReport`), the models
    timed together for each runtime, device and batch size: torch on the
    CPU (and CUDA when present), their ``torch.export`` programs there
    too with ``export``, onnxruntime where ``sessions`` are given.

    Returns:
        list[str]: A warning per measurement whose rounds spread so much
        that the machine was probably busy.
    """
    devices = ['cpu'] + (['cuda'] if torch.cuda.is_available() else [])
    setups = [('torch', device) for device in devices]
    if export:
        setups += [('torch.export', device) for device in devices]
    if all(s is not None for s in sessions):
        device = 'cuda' if 'CUDAExecutionProvider' in \
            sessions[0].get_providers() else 'cpu'
        setups.append(('onnxruntime', device))
    warnings = []
    for runtime, device in setups:
        programs = [
            exported_module(m, r.input_shape, device)
            if runtime == 'torch.export' else None
            for r, m in zip(reports, models)
        ]
        for batch in batch_sizes:
            fns = [
                forward_fn(batch, r.input_shape, session=s)
                if runtime == 'onnxruntime' else forward_fn(
                    batch, r.input_shape, model=m, device=device, program=p)
                for r, m, s, p in zip(reports, models, sessions, programs)
            ]
            key = f'{runtime} {device} b{batch}'
            for report, stats in zip(reports,
                                     interleaved_latency(fns, min_run_time)):
                report.latency_ms[key] = stats.median_ms
                report.latency_min_ms[key] = stats.min_ms
                if stats.spread > BUSY_SPREAD:
                    warnings.append(
                        f'{report.name} {key}: median {stats.median_ms:.2f} '
                        f'ms is {stats.spread:.1f}x the minimum '
                        f'{stats.min_ms:.2f} ms; the machine was probably '
                        'busy, trust the minimum or measure again')
    for model in models:
        model.to('cpu')
    return warnings
