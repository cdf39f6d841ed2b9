# Copyright (c) mmrecast contributors. All rights reserved.
from . import external_rules  # noqa: F401 (registers rules)
from .base_recaster import BaseRecaster
from .basic_block_reduce import BasicBlockReduce
from .basic_block_slim import BasicBlockSlim
from .basic_block_to_conv import BasicBlockToConv
from .basic_block_to_factorized_conv import BasicBlockToFactorizedConv
from .basic_block_to_narrow_conv import BasicBlockToNarrowConv
from .basic_block_to_repvgg import BasicBlockToRepVGG
from .basic_block_to_separable import BasicBlockToSeparableConv
from .block_io import (BlockIO, UnreadableBlockError, block_io, has_reader,
                       probe_io, register_block_io)
from .block_to_shortcut import BlockToShortcut
from .block_to_token_mlp import BlockToTokenMLP
from .bottleneck_to_conv import BottleneckToConv
from .conv_reduce import ConvReduce
from .dense_block_to_basic_block import DenseBlockToBasicBlock
from .init import reset_block
from .rebuild import rebuild_for_input, register_rebuilder
from .recast_plan import (RecastPlan, RecastStep, measured_width, probe_input,
                          probe_teacher, removes_as_identity, target_width)
from .recasted_classifier import build_recasted_classifier

__all__ = [
    'BaseRecaster', 'BasicBlockReduce', 'BasicBlockSlim', 'BasicBlockToConv',
    'BasicBlockToFactorizedConv', 'BasicBlockToNarrowConv',
    'BasicBlockToRepVGG', 'BasicBlockToSeparableConv', 'BlockIO',
    'BlockToShortcut', 'BlockToTokenMLP', 'block_io', 'register_block_io',
    'BottleneckToConv',
    'ConvReduce', 'DenseBlockToBasicBlock',
    'reset_block', 'rebuild_for_input', 'register_rebuilder', 'RecastPlan',
    'RecastStep', 'build_recasted_classifier', 'probe_input', 'probe_io',
    'probe_teacher',
    'has_reader', 'measured_width', 'removes_as_identity',
    'target_width', 'UnreadableBlockError'
]
