# Copyright (c) mmrecast contributors. All rights reserved.
"""Full float32 precision for the matrix units while recasting."""
import contextlib
from typing import ContextManager, Iterator

import torch

__all__ = ['tf32_mode', 'tf32_disabled']


@contextlib.contextmanager
def tf32_mode(allowed: bool) -> Iterator[None]:
    """Allow or forbid TF32 for CUDA matmuls and cuDNN convolutions inside
    the block, and restore the caller's setting after it."""
    saved = (torch.backends.cuda.matmul.allow_tf32,
             torch.backends.cudnn.allow_tf32)
    torch.backends.cuda.matmul.allow_tf32 = allowed
    torch.backends.cudnn.allow_tf32 = allowed
    try:
        yield
    finally:
        (torch.backends.cuda.matmul.allow_tf32,
         torch.backends.cudnn.allow_tf32) = saved


def tf32_disabled() -> ContextManager[None]:
    """TF32 off inside the block (:func:`tf32_mode`).

    A recast step regresses one block's output onto the teacher's; TF32's
    10-bit mantissa leaves a relative error near 1e-3 in both, which is
    the size of the residual the late steps try to remove.
    """
    return tf32_mode(False)
