# Copyright (c) mmrecast contributors. All rights reserved.
"""Read the input width, output width and stride of a block."""
import functools
import math
from typing import Dict, NamedTuple, Sequence, Tuple

import torch
import torch.nn as nn

from mmrecast.utils.errors import ConfigError

__all__ = ['BlockIO', 'block_io', 'register_block_io', 'probe_io',
           'has_reader', 'feature_width', 'UnreadableBlockError']


class UnreadableBlockError(ConfigError, TypeError):
    """:func:`block_io` has no way to read a block's widths: a user error
    (the tools print its one line), and a ``TypeError`` for callers that
    catch a block of the wrong type."""


class BlockIO(NamedTuple):
    in_channels: int
    out_channels: int
    stride: int


def _stride(conv: nn.Module) -> int:
    stride = conv.stride
    return stride[0] if isinstance(stride, tuple) else stride


@functools.singledispatch
def block_io(block: nn.Module) -> BlockIO:
    """Widths and stride of ``block``.

    Understands types with a reader (:func:`register_block_io`), mmrecast's
    blocks (``in_channels``/``out_channels``/
    ``stride`` attributes), plain ``nn.Conv2d`` / ``nn.Linear``, and blocks
    that keep their convs as ``conv1`` ... ``conv3`` (torchvision's and
    mmpretrain's ResNet blocks): input of ``conv1``, output of the last
    conv, stride of the conv that has one; and ``nn.Sequential`` stacks of
    convs/linears: first input, last output, product of the strides.

    Raises:
        UnreadableBlockError: The block is none of these; the message says
            how to measure it instead (``input_size``) or make it readable.
    """
    if all(hasattr(block, a) for a in ('in_channels', 'out_channels')):
        stride = getattr(block, 'stride', 1)
        if isinstance(stride, tuple):
            stride = stride[0]
        return BlockIO(block.in_channels, block.out_channels, stride)
    if isinstance(block, nn.Linear):
        return BlockIO(block.in_features, block.out_features, 1)
    convs = [
        getattr(block, name) for name in ('conv1', 'conv2', 'conv3')
        if isinstance(getattr(block, name, None), nn.Conv2d)
    ]
    if convs:
        stride = max(_stride(conv) for conv in convs)
        return BlockIO(convs[0].in_channels, convs[-1].out_channels, stride)
    if isinstance(block, nn.Sequential):
        # a plain stack: first layer's input, last layer's output, the
        # product of the strides
        ios = [block_io(m) for m in block.modules()
               if isinstance(m, (nn.Conv2d, nn.Linear))]
        if ios:
            return BlockIO(ios[0].in_channels, ios[-1].out_channels,
                           math.prod(io.stride for io in ios))
    raise UnreadableBlockError(
        f'cannot read the widths of a {type(block).__name__}: set '
        'model.input_size=(C, H, W) to measure them with a probe forward, '
        'or register a reader with '
        'mmrecast.models.recasters.register_block_io')


#: Decorator ``register_block_io(BlockType)`` on ``fn(block) -> BlockIO``:
#: a reader for a type whose widths :func:`block_io` cannot read by itself
#: (dispatch on the block's type, subclasses included).
register_block_io = block_io.register


def has_reader(block: nn.Module) -> bool:
    """Whether a reader is registered for ``block``'s type (it then
    overrides what a probe measures)."""
    return block_io.dispatch(type(block)) is not block_io.dispatch(object)


def feature_width(shape: Sequence[int]) -> int:
    """The channels of an activation of ``shape``: dim 1 of an image
    feature map (N, C, H, W), the last dim otherwise (a transformer's tokens
    (N, L, C), a vector (N, C))."""
    return shape[1] if len(shape) == 4 else shape[-1]


def _io_of(args: tuple, output) -> Tuple[BlockIO, tuple]:
    if isinstance(output, (tuple, list)):
        output = output[-1]
    x = args[0]
    stride = 1
    if x.dim() == 4 and output.dim() == 4 and output.shape[2]:
        stride = max(1, x.shape[2] // output.shape[2])
    return BlockIO(feature_width(x.shape), feature_width(output.shape),
                   stride), tuple(x.shape)


@torch.no_grad()
def probe_io(model: nn.Module, paths: Sequence[str],
             inputs: torch.Tensor) -> Dict[str, Tuple[BlockIO, tuple]]:
    """Widths and stride of the blocks at ``paths``, measured by one
    forward of ``inputs`` (eval mode, restored after): for any module,
    with no reader. A registered reader overrides the measurement.

    Returns:
        dict: path -> (:class:`BlockIO`, the block's input shape).
    """
    seen: Dict[str, Tuple[BlockIO, tuple]] = {}
    handles = []
    for path in paths:

        def hook(module, args, output, path=path):
            seen[path] = _io_of(args, output)

        handles.append(model.get_submodule(path).register_forward_hook(hook))
    was_training = model.training
    model.eval()
    param = next(model.parameters(), None)
    try:
        model(inputs.to(param.device) if param is not None else inputs,
              mode='tensor')
    finally:
        model.train(was_training)
        for handle in handles:
            handle.remove()
    for path in paths:
        block = model.get_submodule(path)
        if has_reader(block):
            seen[path] = (block_io(block), seen[path][1])
    return seen
