# Copyright (c) mmrecast contributors. All rights reserved.
from .conv_bn_folding import fold_conv_bn, foldable_conv_bn_pairs
from .inference_copy import InferenceCopy
from .teacher_logit_cache import TeacherLogitCache

__all__ = [
    'InferenceCopy', 'TeacherLogitCache', 'fold_conv_bn',
    'foldable_conv_bn_pairs'
]
