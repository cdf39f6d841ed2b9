# Copyright (c) mmrecast contributors. All rights reserved.
"""Fold a bias-free 1x1 projection into the conv that reads it.

A narrow conv with a 1x1 projection back to the full width
(:class:`~mmrecast.models.blocks.NarrowConv`) is trained where a full-width
block was; at deployment its projection ``P`` and the next conv ``W``
compose into one conv ``W @ P`` that reads the narrow width. This is exact
where ``W`` pads with zeros (padding ``P x`` is ``P`` of the padded ``x``)
and nothing else reads ``P``'s output; the pairs come from a ``torch.fx``
trace, as in :mod:`.conv_bn_folding`. No graph optimiser of torch or
onnxruntime merges two convs, hence this pass.
"""
import copy
from collections import Counter
from typing import List, Tuple

import torch
import torch.nn as nn
from mmengine.logging import print_log

from .fx_trace import TRACE_PREFIX, trace_call

__all__ = [
    'foldable_projections', 'fold_projections', 'with_projections_folded'
]


def _is_projection(module: nn.Module) -> bool:
    """A bias-free dense 1x1 conv that widens (or keeps) its input: folded,
    the next conv reads the narrower side. (Folding one that narrows would
    make the next conv read the wider side and cost more.)"""
    return type(module) is nn.Conv2d and module.kernel_size == (1, 1) \
        and module.stride == (1, 1) and module.padding == (0, 0) \
        and module.dilation == (1, 1) and module.groups == 1 \
        and module.bias is None \
        and module.in_channels <= module.out_channels


def _reads_projection(module: nn.Module) -> bool:
    return type(module) is nn.Conv2d and module.groups == 1 \
        and module.padding_mode == 'zeros'


def foldable_projections(module: nn.Module,
                         **call_kwargs) -> List[Tuple[str, str]]:
    """``(projection path, conv path)`` pairs of ``module`` that fold: a
    bias-free 1x1 conv that does not narrow its input, whose output only a
    dense, zero-padded conv reads, each called once.

    Args:
        module (nn.Module): The model, called as ``module(x, **call_kwargs)``
            (e.g. ``mode='tensor'`` for an mmpretrain classifier).

    Raises:
        Exception: Whatever ``torch.fx`` raises for an untraceable forward
            of a module that has a projection (one without is not traced:
            mmpretrain's ViT is not traceable).
    """
    if not any(_is_projection(m) for m in module.modules()):
        return []
    graph = trace_call(module, **call_kwargs)
    calls = [n for n in graph.nodes if n.op == 'call_module']
    uses = Counter(n.target for n in calls)
    pairs = []
    for node in calls:
        path = node.target[len(TRACE_PREFIX):]
        if uses[node.target] != 1 or len(node.users) != 1 \
                or not _is_projection(module.get_submodule(path)):
            continue
        reader = next(iter(node.users))
        if reader.op != 'call_module' or uses[reader.target] != 1 \
                or tuple(reader.args) != (node, ) or reader.kwargs:
            continue
        conv_path = reader.target[len(TRACE_PREFIX):]
        if _reads_projection(module.get_submodule(conv_path)):
            pairs.append((path, conv_path))
    return pairs


def fold_projections(module: nn.Module,
                     pairs: List[Tuple[str, str]]) -> None:
    """Fold each ``(projection, conv)`` pair of ``module`` in place: the
    conv becomes ``conv @ projection`` (reading the projection's input
    width), the projection ``nn.Identity``."""
    for proj_path, conv_path in pairs:
        proj = module.get_submodule(proj_path)
        conv = module.get_submodule(conv_path)
        folded = nn.Conv2d(
            proj.in_channels, conv.out_channels, conv.kernel_size,
            conv.stride, conv.padding, conv.dilation,
            bias=conv.bias is not None, device=conv.weight.device,
            dtype=conv.weight.dtype).train(conv.training)
        with torch.no_grad():
            folded.weight.copy_(
                torch.einsum('ocij,cm->omij', conv.weight,
                             proj.weight[:, :, 0, 0]))
            if conv.bias is not None:
                folded.bias.copy_(conv.bias)
        module.set_submodule(conv_path, folded)
        module.set_submodule(proj_path, nn.Identity())


def with_projections_folded(model: nn.Module, **call_kwargs) -> nn.Module:
    """``model`` as deployed: a copy with its projections folded, or
    ``model`` itself when it has none (or cannot be traced, which is
    logged)."""
    try:
        pairs = foldable_projections(model, **call_kwargs)
    except Exception as error:  # noqa: B902 (any untraceable forward)
        print_log(f'1x1 projections not folded: torch.fx cannot trace '
                  f'{type(model).__name__} ({type(error).__name__})',
                  logger='current', level=30)
        return model
    if not pairs:
        return model
    model = copy.deepcopy(model)
    fold_projections(model, pairs)
    return model
