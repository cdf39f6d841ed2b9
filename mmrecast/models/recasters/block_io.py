# Copyright (c) mmrecast contributors. All rights reserved.
"""Read the input width, output width and stride of a block."""
import functools
import math
from typing import NamedTuple

import torch.nn as nn

__all__ = ['BlockIO', 'block_io', 'register_block_io']


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
        TypeError: The block is none of these; the message says how to
            make it readable.
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
    raise TypeError(f'cannot read the widths of a {type(block).__name__}: '
                    'give it in_channels, out_channels and stride '
                    'attributes, name its convs conv1, conv2, ..., or '
                    'register a reader with mmrecast.models.recasters.'
                    'register_block_io')


#: Decorator ``register_block_io(BlockType)`` on ``fn(block) -> BlockIO``:
#: a reader for a type whose widths :func:`block_io` cannot read by itself
#: (dispatch on the block's type, subclasses included).
register_block_io = block_io.register
