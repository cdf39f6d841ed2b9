# Copyright (c) mmrecast contributors. All rights reserved.
"""bfloat16 mixed precision for training on CPU (and GPU)."""
from contextlib import contextmanager
from typing import Iterator, Union

import torch
import torch.nn as nn
from mmengine.optim import OptimWrapper
from mmengine.runner.amp import autocast

from mmrecast.registry import OPTIM_WRAPPERS
from mmrecast.utils.errors import ConfigError

__all__ = ['AutocastOptimWrapper']


@OPTIM_WRAPPERS.register_module()
class AutocastOptimWrapper(OptimWrapper):
    """An :class:`~mmengine.optim.OptimWrapper` whose forward passes run
    under ``torch.autocast`` in bfloat16, on the model's own device.

    mmengine's ``AmpOptimWrapper`` refuses to run without a GPU, yet CPUs
    with bfloat16 units (AVX512-BF16, AMX) train faster under autocast
    (``tools/benchmarks/train_step.py --compare bfloat16`` measures a
    config's step).
    bfloat16 keeps float32's exponent range, so no loss scaling is
    needed; weights, gradients, optimizer state and
    checkpoints stay float32, and validation and tests (outside
    :meth:`optim_context`) run in float32. On a CPU without bfloat16
    units the casts only cost time.

    Args:
        dtype (str | torch.dtype): The autocast dtype. Only ``'bfloat16'``:
            float16 needs a loss scaler (``AmpOptimWrapper`` on a GPU).
        **kwargs: The arguments of :class:`~mmengine.optim.OptimWrapper`.
    """

    def __init__(self,
                 dtype: Union[str, torch.dtype] = 'bfloat16',
                 **kwargs):
        self.check_dtype(dtype)
        super().__init__(**kwargs)
        self.cast_dtype = torch.bfloat16

    @staticmethod
    def check_dtype(dtype: Union[str, torch.dtype]) -> None:
        """Refuse, in one line, a ``dtype`` other than bfloat16; training
        tools call it before a run starts (``check_optim_wrapper``)."""
        if dtype not in ('bfloat16', torch.bfloat16):
            raise ConfigError(
                f'optim_wrapper.dtype: {dtype!r}: AutocastOptimWrapper runs '
                "bfloat16 only; use dtype='bfloat16', or AmpOptimWrapper "
                '(float16 with loss scaling) on a GPU')

    @contextmanager
    def optim_context(self, model: nn.Module) -> Iterator[None]:
        """The parent's context (gradient accumulation) with autocast on
        the device that holds ``model``'s parameters."""
        device = next(model.parameters()).device.type
        with super().optim_context(model), autocast(
                device_type=device, dtype=self.cast_dtype):
            yield
