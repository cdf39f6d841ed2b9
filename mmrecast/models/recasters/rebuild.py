# Copyright (c) mmrecast contributors. All rights reserved.
"""Rebuild a block of its own type for a new input width.

Recasting replaces the block after each target by a new, randomly
initialised block of the same type whose input matches the target's output.
Each block type needs a rule; :func:`register_rebuilder` adds one for a
user's type.
"""
import functools

import torch.nn as nn

from ..blocks import (BasicBlock, Bottleneck, ConvBNReLU, DenseBlock,
                      FactorizedConv, LinearBNReLU, NarrowConv,
                      SeparableConvBNReLU, Transition)
from ..blocks.shortcut import ZeroPadShortcut

__all__ = ['rebuild_for_input', 'register_rebuilder']


@functools.singledispatch
def rebuild_for_input(block: nn.Module, in_channels: int) -> nn.Module:
    """A new block like ``block`` (same type, width and stride) taking
    ``in_channels`` inputs. Weights are fresh; see
    :func:`~mmrecast.models.recasters.init.reset_block`."""
    raise TypeError(f'no rule to rebuild a {type(block).__name__} for a new '
                    'input width; register one with '
                    'mmrecast.models.recasters.register_rebuilder')


#: Decorator ``register_rebuilder(BlockType)`` on
#: ``fn(block, in_channels) -> new block``: the rule for a type (dispatch on
#: the block's type, subclasses included).
register_rebuilder = rebuild_for_input.register


def _shortcut_kind(block) -> str:
    return 'A' if isinstance(block.shortcut, ZeroPadShortcut) else 'B'


@register_rebuilder(BasicBlock)
def _basic(block: BasicBlock, in_channels: int) -> BasicBlock:
    return BasicBlock(in_channels, block.out_channels, block.stride,
                      _shortcut_kind(block), block.mid_channels)


@register_rebuilder(Bottleneck)
def _bottleneck(block: Bottleneck, in_channels: int) -> Bottleneck:
    return Bottleneck(in_channels, block.mid_channels, block.out_channels,
                      block.stride, _shortcut_kind(block))


@register_rebuilder(ConvBNReLU)
def _conv_bn_relu(block: ConvBNReLU, in_channels: int) -> ConvBNReLU:
    conv = block[0]
    return ConvBNReLU(in_channels, block.out_channels, block.stride,
                      conv.kernel_size[0], conv.bias is not None)


@register_rebuilder(FactorizedConv)
def _factorized(block: FactorizedConv, in_channels: int) -> FactorizedConv:
    return FactorizedConv(in_channels, block.out_channels, block.stride,
                          block[0].kernel_size[0])


@register_rebuilder(NarrowConv)
def _narrow(block: NarrowConv, in_channels: int) -> NarrowConv:
    return NarrowConv(in_channels, block.mid_channels, block.out_channels,
                      block.stride, block[0][0].kernel_size[0])


@register_rebuilder(SeparableConvBNReLU)
def _separable(block: SeparableConvBNReLU,
               in_channels: int) -> SeparableConvBNReLU:
    return SeparableConvBNReLU(in_channels, block.out_channels, block.stride,
                               block.num_convs)


@register_rebuilder(DenseBlock)
def _dense(block: DenseBlock, in_channels: int) -> DenseBlock:
    growth = block.layers[0].conv2.out_channels
    return DenseBlock(in_channels, len(block.layers), growth)


@register_rebuilder(Transition)
def _transition(block: Transition, in_channels: int) -> Transition:
    return Transition(in_channels, block.out_channels)


@register_rebuilder(LinearBNReLU)
def _linear_bn_relu(block: LinearBNReLU, in_channels: int) -> LinearBNReLU:
    return LinearBNReLU(in_channels, block.out_channels)


@register_rebuilder(nn.Linear)
def _linear(block: nn.Linear, in_channels: int) -> nn.Linear:
    return nn.Linear(in_channels, block.out_features, block.bias is not None)


@register_rebuilder(nn.Conv2d)
def _conv(block: nn.Conv2d, in_channels: int) -> nn.Conv2d:
    return nn.Conv2d(in_channels, block.out_channels, block.kernel_size,
                     block.stride, block.padding, block.dilation,
                     block.groups, block.bias is not None)
