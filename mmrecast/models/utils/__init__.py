# Copyright (c) mmrecast contributors. All rights reserved.
from .conv_bn_folding import fold_conv_bn, foldable_conv_bn_pairs
from .inference_copy import InferenceCopy

__all__ = ['InferenceCopy', 'fold_conv_bn', 'foldable_conv_bn_pairs']
