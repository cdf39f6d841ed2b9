# Copyright (c) mmrecast contributors. All rights reserved.
from mmengine.hooks import Hook

from mmrecast.registry import HOOKS
from mmrecast.utils.errors import CheckpointFileError
from mmrecast.utils.weights import key_mismatch, load_fitting

__all__ = ['StrictLoadHook']


@HOOKS.register_module()
class StrictLoadHook(Hook):
    """Refuse a ``load_from`` or resume checkpoint that does not fit the
    model.

    mmengine loads them non-strictly and only logs a mismatch, so a run can
    train from scratch while its user believes it started from a
    checkpoint. This hook loads the weights itself, strictly, before
    mmengine does (the result is the same), and fails in one line naming
    the file and the first missing or unexpected keys. It runs after
    :class:`RecastStageHook`, so a staged model has its stages installed.
    ``tools/train.py --non-strict`` removes it.
    """

    priority = 'LOW'

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        model = getattr(runner.model, 'module', runner.model)
        state = checkpoint.get('state_dict', checkpoint)
        state = {k[7:] if k.startswith('module.') else k: v
                 for k, v in state.items()}
        path = runner.cfg.get('load_from') or 'the checkpoint'
        name = type(model).__name__
        result = load_fitting(model, state, f'load_from: {path}')
        missing, unexpected = result.missing_keys, result.unexpected_keys
        if missing or unexpected:
            raise CheckpointFileError(
                f'load_from: {path} does not match {name}: '
                f'{key_mismatch(missing, unexpected)}; use a checkpoint of '
                'this config, or --non-strict')
