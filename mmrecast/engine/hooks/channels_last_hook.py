# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Optional

import torch
import torch.nn as nn
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from torch.utils.hooks import RemovableHandle

from mmrecast.registry import HOOKS

__all__ = ['ChannelsLastHook', 'channels_last_batch']


def channels_last_batch(module: nn.Module, args: tuple, output):
    """Forward hook of a data preprocessor: its batch of images comes out
    in channels-last layout (other outputs unchanged)."""
    inputs = output.get('inputs') if isinstance(output, dict) else None
    if isinstance(inputs, torch.Tensor) and inputs.dim() == 4:
        output['inputs'] = inputs.contiguous(memory_format=torch.channels_last)
    return output


@HOOKS.register_module()
class ChannelsLastHook(Hook):
    """Run the model on channels-last batches.

    oneDNN, torch's CPU convolution library, prefers channels-last (NHWC)
    feature maps; a convolution keeps the layout of its input, so a batch
    that enters the network channels-last stays so through every conv,
    the student's and its gradients included. The parameters, checkpoints
    and exported models are untouched: only the data preprocessor's output
    changes layout (a forward hook on it, for the whole run: training,
    validation and test). On a GPU the gain depends on the precision
    (tensor cores like it); measure with
    ``tools/benchmarks/train_step.py --compare channels-last`` before
    turning it on there.

    A model that ``view``\\ s a feature map, rather than ``reshape``\\ s it,
    fails in this layout with a ``RuntimeError``; leave the hook out for it.
    """

    def __init__(self):
        self._handle: Optional[RemovableHandle] = None

    def before_run(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        self._handle = model.data_preprocessor.register_forward_hook(
            channels_last_batch)

    def after_run(self, runner) -> None:
        if self._handle is not None:
            self._handle.remove()
            self._handle = None
