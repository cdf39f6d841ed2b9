# Copyright (c) mmrecast contributors. All rights reserved.
"""The deployed form of a model: multi-branch blocks merged, projections
folded.

Structurally re-parameterized blocks (mmpretrain's ``RepVGGBlock``,
``MobileOneBlock``, ...) train with parallel branches that are linear up to
their activation and merge into one conv for inference; mmpretrain marks
them with a ``switch_to_deploy()`` method, which is what is called here.
"""
import copy
from typing import Iterator

import torch.nn as nn

from .projection_folding import with_projections_folded

__all__ = ['reparameterized', 'as_deployed']


def _mergeable(model: nn.Module) -> Iterator[nn.Module]:
    return (m for m in model.modules()
            if callable(getattr(m, 'switch_to_deploy', None)))


def reparameterized(model: nn.Module) -> nn.Module:
    """A copy of ``model`` with every block that has ``switch_to_deploy``
    switched (branches merged from their running statistics), or ``model``
    itself when it has none. The copy is in eval mode."""
    if next(_mergeable(model), None) is None:
        return model
    model = copy.deepcopy(model)
    model.eval()  # not chained: some train() overrides return None
    # listed first: a switch may replace submodules (a backbone's switches
    # its blocks, whose own switch then returns at once)
    for module in list(_mergeable(model)):
        module.switch_to_deploy()
    return model


def as_deployed(model: nn.Module, **call_kwargs) -> nn.Module:
    """``model`` as the exporters write it: :func:`reparameterized`, then
    :func:`~.projection_folding.with_projections_folded` (``call_kwargs``
    go to its trace, e.g. ``mode='tensor'``)."""
    return with_projections_folded(reparameterized(model), **call_kwargs)
