# Copyright (c) mmrecast contributors. All rights reserved.
import difflib
from typing import Dict, Iterable, List, Mapping, Optional

import torch
import torch.nn as nn

__all__ = ['FeatureRecorder', 'StopForward', 'dense', 'resolve_module']


class StopForward(Exception):
    """Raised by a recorder hook to end a forward pass early."""


def resolve_module(model: nn.Module, path: str, field: str) -> nn.Module:
    """``model.get_submodule(path)`` with a one-line error that names the
    config field and the closest valid module paths.

    Args:
        model (nn.Module): The model to search.
        path (str): Dotted module path, e.g. ``'backbone.layer3'``.
        field (str): The config field the path came from, for the error.

    Returns:
        nn.Module: The module.
    """
    try:
        return model.get_submodule(path)
    except AttributeError:
        names = [name for name, _ in model.named_modules() if name]
        close = difflib.get_close_matches(path, names, n=5, cutoff=0.5)
        tops = ', '.join(n for n in names if '.' not in n)
        hint = (f'closest: {", ".join(close)}'
                if close else f'top-level modules: {tops}')
        raise ValueError(f'{field}: no module {path!r} in '
                         f'{type(model).__name__}; {hint}') from None


def dense(value):
    """``value`` in the default (contiguous) layout if it is a tensor: what
    recorders hand out, also from a channels-last teacher twin."""
    if isinstance(value, torch.Tensor):
        return value.contiguous()
    return value


class FeatureRecorder:
    """Record the outputs of named modules with forward hooks.

    Hooks are registered once, at construction, so a wrong path fails at
    build time (:func:`resolve_module`). After a forward pass,
    ``recorder[name]`` is the output of the module recorded as ``name``
    (contiguous, see :func:`dense`).

    With ``stop_after``, the forward pass ends (by :class:`StopForward`,
    caught by :meth:`run`) as soon as the given modules have produced their
    outputs: nothing after them is computed.

    Args:
        model (nn.Module): The model to watch.
        sources (Mapping[str, str]): Record name -> module path.
        field (str): Config field named in errors. Defaults to
            ``'recorders'``.

    Example:
        >>> recorder = FeatureRecorder(model, dict(feat='backbone.layer3'))
        >>> logits = recorder.run(model, images)
        >>> feat = recorder['feat']
    """

    def __init__(self,
                 model: nn.Module,
                 sources: Mapping[str, str],
                 field: str = 'recorders'):
        self.sources = dict(sources)
        self.outputs: Dict[str, torch.Tensor] = {}
        self._stop_names: List[str] = []
        self._handles = []
        for name, path in self.sources.items():
            module = resolve_module(model, path, f'{field}.{name}')
            self._handles.append(
                module.register_forward_hook(self._make_hook(name)))

    def _make_hook(self, name: str):

        def hook(module, inputs, output):
            self.outputs[name] = dense(output)
            if self._stop_names and all(n in self.outputs
                                        for n in self._stop_names):
                raise StopForward

        return hook

    def run(self,
            fn,
            *args,
            stop_after: Optional[Iterable[str]] = None,
            **kwargs):
        """Call ``fn(*args, **kwargs)`` while recording.

        Args:
            fn (callable): Usually the model or one of its methods.
            stop_after (Iterable[str], optional): Record names after which
                the call is cut short; it then returns None.

        Returns:
            The result of ``fn``, or None if it was cut short.
        """
        self.outputs = {}
        self._stop_names = list(stop_after or [])
        try:
            return fn(*args, **kwargs)
        except StopForward:
            return None
        finally:
            self._stop_names = []

    def __getitem__(self, name: str) -> torch.Tensor:
        if name not in self.outputs:
            raise KeyError(f'nothing recorded as {name!r} in the last '
                           f'forward; recorded: {sorted(self.outputs)}')
        return self.outputs[name]

    def remove(self) -> None:
        """Remove the hooks."""
        for handle in self._handles:
            handle.remove()
        self._handles = []
