# Copyright (c) mmrecast contributors. All rights reserved.
"""Model size and cost, counted the way compression papers report them."""
import math
from collections import Counter
from typing import Sequence, Tuple

import torch
import torch.nn as nn
from mmengine.analysis import FlopAnalyzer, parameter_count
from mmengine.analysis.jit_handles import get_shape

__all__ = ['count_params', 'count_macs', 'macs_by_module', 'has_parameters']


def _no_macs(inputs, outputs) -> Counter:
    return Counter()


# fvcore's rules (mmengine's FlopAnalyzer) have none for attention: its
# matmuls, and in eval mode without gradients torch's fused multi-head
# attention with its projections, would count 0 (a ViT's MACs halved)
def _attention_macs(inputs, outputs) -> Counter:
    """``scaled_dot_product_attention(q, k, v)``: q k^T and the weighted
    sum of v, (N, heads, L, D) x (N, heads, S, D)."""
    *batch, length, dim = get_shape(inputs[0])
    keys, value_dim = get_shape(inputs[1])[-2], get_shape(inputs[2])[-1]
    return Counter(
        {'attention': math.prod(batch) * length * keys * (dim + value_dim)})


def _fused_attention_macs(inputs, outputs) -> Counter:
    """``_native_multi_head_attention(q, k, v, embed_dim, ...)``: the q, k,
    v and output projections and the attention, tokens (N, L, E)."""
    batch, length, embed = get_shape(inputs[0])
    keys = get_shape(inputs[1])[1]
    projections = length * embed * embed * 2 + keys * embed * embed * 2
    return Counter({'attention': batch * (projections
                                          + 2 * length * keys * embed)})


def has_parameters(module: nn.Module) -> bool:
    """Whether ``module`` holds any parameter (an identity, a pooling or a
    shortcut without a projection holds none)."""
    return next(module.parameters(), None) is not None


def count_params(model: nn.Module) -> int:
    """Number of parameters (BN affine included, buffers excluded)."""
    return parameter_count(model)['']


def count_macs(model: nn.Module,
               input_shape: Sequence[int] = (3, 32, 32),
               batch_norm: bool = False) -> int:
    """Multiply-accumulates of one forward pass of one image.

    Counted with mmengine's analysis (fvcore rules: one MAC per fused
    multiply-add of convs and linear layers). BatchNorm is left out by
    default, i.e. folded into the preceding conv as at inference, which is
    how the recasting and ResNet papers count (ResNet-56: 125.7 M).

    Args:
        model (nn.Module): The model; its ``forward(x)`` takes an image
            batch. Put in eval mode for the count and restored afterwards.
        input_shape (Sequence[int]): Shape of one input, without batch.
            Defaults to ``(3, 32, 32)``.
        batch_norm (bool): Count BatchNorm as mmengine does by default.

    Returns:
        int: MACs.
    """
    return macs_by_module(model, input_shape, batch_norm)['']


def macs_by_module(model: nn.Module,
                   input_shape: Sequence[int] = (3, 32, 32),
                   batch_norm: bool = False) -> Counter:
    """:func:`count_macs` of every submodule that the forward pass runs,
    by name (``''``: the whole model), from one trace: the cost of many
    blocks for the price of one count."""
    was_training = model.training
    model.eval()
    try:
        param = next(model.parameters(), None)
        device = param.device if param is not None else 'cpu'
        inputs: Tuple[torch.Tensor] = (torch.zeros(1, *input_shape,
                                                   device=device), )
        analyzer = FlopAnalyzer(model, inputs)
        analyzer.set_op_handle(
            'aten::scaled_dot_product_attention', _attention_macs,
            'aten::_native_multi_head_attention', _fused_attention_macs)
        if not batch_norm:
            # a zero-count handle: `None` only silences the op's warning
            analyzer.set_op_handle('aten::batch_norm', _no_macs)
        analyzer.unsupported_ops_warnings(False)
        analyzer.uncalled_modules_warnings(False)
        # a Counter: a module that ran no counted op reads 0
        return Counter({name: int(macs)
                        for name, macs in analyzer.by_module().items()})
    finally:
        model.train(was_training)
