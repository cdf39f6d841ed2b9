# Copyright (c) mmrecast contributors. All rights reserved.
import torch.nn as nn

from .feature_recorder import FeatureRecorder

__all__ = ['InputRecorder']


class InputRecorder(FeatureRecorder):
    """Record the (first positional) inputs of named modules.

    Same interface as :class:`FeatureRecorder`, with forward pre-hooks:
    ``recorder[name]`` is what the module at that path received. Teacher-fed
    recasting trains each target on its block's input this way.
    """

    def _register(self, module: nn.Module, name: str):

        def hook(module, args):
            self._store(name, args[0])

        return module.register_forward_pre_hook(hook)
