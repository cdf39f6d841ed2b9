# Copyright (c) mmrecast contributors. All rights reserved.
from .conv_bn_folding import fold_conv_bn, foldable_conv_bn_pairs
from .fx_trace import trace_call
from .inference_copy import InferenceCopy
from .projection_folding import (fold_projections, foldable_projections,
                                 with_projections_folded)
from .reparameterize import as_deployed, reparameterized
from .teacher_logit_cache import TeacherLogitCache

__all__ = [
    'InferenceCopy', 'TeacherLogitCache', 'as_deployed', 'fold_conv_bn',
    'foldable_conv_bn_pairs', 'fold_projections', 'foldable_projections',
    'reparameterized', 'trace_call', 'with_projections_folded'
]
