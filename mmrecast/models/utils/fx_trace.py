# Copyright (c) mmrecast contributors. All rights reserved.
"""The ``torch.fx`` graph of a module call, for passes that fold modules."""
import torch.fx as fx
import torch.nn as nn

__all__ = ['trace_call', 'TRACE_PREFIX']

#: what the graph's module paths start with
TRACE_PREFIX = 'module.'


class _Call(nn.Module):
    """Traces ``module(x, **kwargs)``; submodule paths gain ``'module.'``."""

    def __init__(self, module: nn.Module, kwargs: dict):
        super().__init__()
        self.module = module
        self.kwargs = kwargs

    def forward(self, x):
        return self.module(x, **self.kwargs)


class _HooklessTracer(fx.Tracer):
    """Traces through non-leaf modules by their ``forward``, so that no hook
    (a recorder's) sees the trace's proxies."""

    def call_module(self, m, forward, args, kwargs):
        if self.is_leaf_module(m, self.path_of_module(m)):
            return super().call_module(m, forward, args, kwargs)
        return m.forward(*args, **kwargs)


def trace_call(module: nn.Module, **call_kwargs) -> fx.Graph:
    """The graph of ``module(x, **call_kwargs)`` down to torch's leaf
    modules; their paths are ``TRACE_PREFIX`` + the path in ``module``.

    Raises:
        Exception: Whatever ``torch.fx`` raises for an untraceable forward.
    """
    return _HooklessTracer().trace(_Call(module, call_kwargs))
