# Copyright (c) mmrecast contributors. All rights reserved.
"""Fold eval-mode BatchNorm into the convolution that feeds it.

mmcv's ``fuse_conv_bn`` pairs a conv with the BN registered right after it,
which is wrong when the conv's output is also used elsewhere (a residual
taken before the BN, a recorded conv). Here the pairs come from a
``torch.fx`` trace: a BN is folded only when its sole input is a conv whose
output nothing else reads, neither module is called twice, and neither is
one the caller keeps (recorded modules). The arithmetic is torch's
``fuse_conv_bn_eval``.
"""
from collections import Counter
from typing import Collection, List, Tuple

import torch.fx as fx
import torch.nn as nn
from torch.nn.utils.fusion import fuse_conv_bn_eval

from .fx_trace import TRACE_PREFIX, trace_call

__all__ = ['foldable_conv_bn_pairs', 'fold_conv_bn']


def foldable_conv_bn_pairs(module: nn.Module,
                           keep: Collection[str] = (),
                           **call_kwargs) -> List[Tuple[str, str]]:
    """``(conv path, bn path)`` pairs of ``module`` that can be folded.

    Args:
        module (nn.Module): The model, called as ``module(x, **call_kwargs)``
            (e.g. ``mode='tensor'`` for an mmpretrain classifier).
        keep (Collection[str]): Paths of modules that must stay as they are
            (e.g. recorded ones); pairs touching them are not folded.

    Returns:
        list[tuple[str, str]]: Paths relative to ``module``.

    Raises:
        Exception: Whatever ``torch.fx`` raises for an untraceable forward.
    """
    keep = set(keep)
    if not any(isinstance(m, nn.BatchNorm2d) for m in module.modules()):
        return []  # nothing to fold: no trace (a ViT's forward has none)
    graph = trace_call(module, **call_kwargs)
    calls = [n for n in graph.nodes if n.op == 'call_module']
    uses = Counter(n.target for n in calls)
    prefix = TRACE_PREFIX
    pairs = []
    for node in calls:
        if not node.target.startswith(prefix):
            continue
        bn = module.get_submodule(node.target[len(prefix):])
        if not isinstance(bn, nn.BatchNorm2d) or bn.running_mean is None \
                or len(node.args) != 1 or node.kwargs:
            continue
        src = node.args[0]
        if not isinstance(src, fx.Node) or src.op != 'call_module' \
                or len(src.users) != 1:
            continue
        conv = module.get_submodule(src.target[len(prefix):])
        pair = (src.target[len(prefix):], node.target[len(prefix):])
        if type(conv) is not nn.Conv2d or uses[src.target] != 1 \
                or uses[node.target] != 1 or keep.intersection(pair):
            continue
        pairs.append(pair)
    return pairs


def fold_conv_bn(module: nn.Module, pairs: List[Tuple[str, str]]) -> None:
    """Fold each ``(conv, bn)`` pair of ``module`` in place: the conv takes
    the BN's affine map, the BN becomes ``nn.Identity``. For eval mode only
    (running statistics)."""
    for conv_path, bn_path in pairs:
        conv = module.get_submodule(conv_path)
        bn = module.get_submodule(bn_path)
        module.set_submodule(conv_path, fuse_conv_bn_eval(conv.eval(),
                                                          bn.eval()))
        module.set_submodule(bn_path, nn.Identity())
