# Copyright (c) mmrecast contributors. All rights reserved.
"""Building blocks of the zoo backbones, reused as recast targets."""
from .basic_block import BasicBlock
from .bottleneck import Bottleneck
from .conv_bn_relu import ConvBNReLU
from .dense_block import DenseBlock, DenseLayer, Transition
from .factorized_conv import FactorizedConv
from .linear_bn_relu import LinearBNReLU
from .narrow_conv import NarrowConv
from .separable_conv import SeparableConvBNReLU
from .shortcut import ZeroPadShortcut, build_shortcut
from .token_mlp import TokenMLP

__all__ = [
    'BasicBlock', 'Bottleneck', 'ConvBNReLU', 'DenseBlock', 'DenseLayer',
    'FactorizedConv', 'LinearBNReLU', 'NarrowConv', 'SeparableConvBNReLU',
    'TokenMLP', 'Transition', 'ZeroPadShortcut', 'build_shortcut'
]
