# Copyright (c) mmrecast contributors. All rights reserved.
import difflib
from typing import Dict, Iterable, List, Mapping, Optional

import torch
import torch.nn as nn

from mmrecast.utils.errors import ConfigError

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
        raise ConfigError(f'{field}: no module {path!r} in '
                          f'{type(model).__name__}; {hint}') from None


def dense(value):
    """``value`` in the default (contiguous) layout if it is a tensor: what
    recorders hand out, also from a channels-last teacher twin."""
    if isinstance(value, torch.Tensor):
        return value.contiguous()
    return value


class FeatureRecorder:
    """Record the outputs of named modules with forward hooks.

    ``recorder[name]`` is the output of the module recorded as ``name`` in
    the last forward pass (contiguous, see :func:`dense`). Paths are checked
    when the recorder is attached, so a wrong one fails at build time.

    With ``stop_after``, :meth:`run` ends the forward pass (by
    :class:`StopForward`) as soon as the given records exist: nothing after
    them is computed.

    A recorder can move to another copy of its model with :meth:`attach`
    (the teacher's inference twin does this when it is rebuilt).

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
        self.field = field
        self.outputs: Dict[str, torch.Tensor] = {}
        self.active = True
        self._stop_names: List[str] = []
        self._handles: list = []
        self.attach(model)

    @property
    def paths(self) -> frozenset:
        """The module paths this recorder watches."""
        return frozenset(self.sources.values())

    def attach(self, model: nn.Module) -> None:
        """Watch the modules of ``model`` (replacing any earlier model)."""
        modules = {
            name: resolve_module(model, path, f'{self.field}.{name}')
            for name, path in self.sources.items()
        }
        self.detach()
        for name, module in modules.items():
            self._handles.append(self._register(module, name))
        self.active = True

    def _register(self, module: nn.Module, name: str):
        """Hook ``module`` so that it records under ``name``."""

        def hook(module, inputs, output):
            self._store(name, output)

        return module.register_forward_hook(hook)

    def _store(self, name: str, value) -> None:
        self.outputs[name] = dense(value)
        if self._stop_names and all(n in self.outputs
                                    for n in self._stop_names):
            raise StopForward

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

    def detach(self) -> None:
        """Take the hooks off the model (:meth:`attach` puts them back)."""
        for handle in self._handles:
            handle.remove()
        self._handles = []

    def remove(self) -> None:
        """Remove the hooks for good."""
        self.detach()
        self.active = False
