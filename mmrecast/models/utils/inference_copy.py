# Copyright (c) mmrecast contributors. All rights reserved.
"""A faster twin of a frozen module for its no-grad forward passes.

A distillation or recasting step runs the frozen teacher once per batch;
the teacher is never trained, so it can run in inference form: BN folded
into its convs and, on CPU, in channels-last layout (oneDNN's preferred
one). The module itself is left as it is (state dict, checkpoints and
module paths do not change); the twin is a copy. Measurements are in
``configs/factor_transfer/README.md``.
"""
import copy
import itertools
from typing import List, Optional

import torch
import torch.nn as nn
from mmengine.logging import MMLogger

from ..recorders import FeatureRecorder
from .conv_bn_folding import fold_conv_bn, foldable_conv_bn_pairs

__all__ = ['InferenceCopy']


class InferenceCopy:
    """Runs a frozen module's forward passes on an inference twin.

    Call it as the module (``copy(inputs, mode='tensor')``). The twin is a
    deep copy of the module in eval mode that

    * has BN folded into the convs that feed it, where that is exact
      (:func:`~mmrecast.models.utils.foldable_conv_bn_pairs`), except in the
      modules that tracked recorders watch, so recorded values do not
      change;
    * is in channels-last memory format on CPU. A forward that cannot take
      that layout (e.g. a ``view`` of a feature map) fails with a
      ``RuntimeError``; the twin then goes back to the default layout for
      good (with a warning) and the call is repeated.

    Recorders are put on the twin with :meth:`track`; they move to every
    rebuilt twin. The twin is rebuilt on the next call after
    :meth:`invalidate` (the owner calls it when the module's weights are
    loaded or initialised), when the module moves to another device or
    dtype, or when a tracked recorder watches a folded module.

    Args:
        module (nn.Module): The frozen module, used in eval mode only.
        call_kwargs (dict, optional): Keyword arguments of the module call
            for the trace that finds the BN to fold, e.g.
            ``dict(mode='tensor')``.
        name (str): Name in log messages. Defaults to ``'teacher'``.
    """

    def __init__(self,
                 module: nn.Module,
                 call_kwargs: Optional[dict] = None,
                 name: str = 'teacher'):
        self.module = module
        self.call_kwargs = dict(call_kwargs or {})
        self.name = name
        self.channels_last = True
        self._twin: Optional[nn.Module] = None
        self._folded: set = set()  # paths of the folded convs and BNs
        self._recorders: List[FeatureRecorder] = []
        self._warned_trace = False

    @property
    def twin(self) -> nn.Module:
        """The twin, up to date with the module."""
        if self._twin is None or _placement(self._twin) != _placement(
                self.module):
            self._build()
        return self._twin

    def invalidate(self) -> None:
        """Rebuild the twin before its next use (the module has changed)."""
        self._twin = None

    def track(self, recorder: FeatureRecorder) -> None:
        """Move ``recorder`` onto the twin (built when first used), and onto
        every rebuilt twin."""
        recorder.detach()  # from the module it was checked against
        self._recorders.append(recorder)
        if recorder.paths & self._folded:
            self.invalidate()  # the watched module must not be folded
        if self._twin is not None:
            recorder.attach(self._twin)

    def __call__(self, *args, **kwargs):
        twin = self.twin
        if not self._in_channels_last(twin):
            return twin(*args, **kwargs)
        try:
            return twin(*args, **kwargs)
        except RuntimeError as error:
            self.channels_last = False
            twin.to(memory_format=torch.contiguous_format)
            MMLogger.get_current_instance().warning(
                f'{self.name}: runs in the default memory layout, its '
                f'forward fails in channels-last ({_first_line(error)})')
            return twin(*args, **kwargs)

    def _in_channels_last(self, twin: nn.Module) -> bool:
        return self.channels_last and _placement(twin)[0] == 'cpu'

    def _build(self) -> None:
        self._recorders = [r for r in self._recorders if r.active]
        keep = set().union(*(r.paths for r in self._recorders))
        twin = copy.deepcopy(self.module).eval()
        twin.requires_grad_(False)
        try:
            pairs = foldable_conv_bn_pairs(twin, keep, **self.call_kwargs)
        except Exception as error:  # any untraceable forward
            pairs = []
            if not self._warned_trace:
                MMLogger.get_current_instance().warning(
                    f'{self.name}: BN not folded into convs, torch.fx '
                    f'cannot trace {type(self.module).__name__} '
                    f'({type(error).__name__}: {_first_line(error)})')
                self._warned_trace = True
        fold_conv_bn(twin, pairs)
        self._folded = {path for pair in pairs for path in pair}
        if self._in_channels_last(twin):
            twin.to(memory_format=torch.channels_last)
        self._twin = twin
        for recorder in self._recorders:
            recorder.attach(twin)


def _first_line(error: Exception) -> str:
    return (str(error).splitlines() or [''])[0]


def _placement(module: nn.Module) -> tuple:
    """Device type, index and dtype of a module's first tensor."""
    tensor = next(itertools.chain(module.parameters(), module.buffers()),
                  None)
    if tensor is None:
        return (None, None, None)
    return (tensor.device.type, tensor.device.index, tensor.dtype)
