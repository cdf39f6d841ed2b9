# Copyright (c) mmrecast contributors. All rights reserved.
from mmengine.hooks import Hook

from mmrecast.registry import HOOKS
from mmrecast.utils.errors import ConfigError
from ..stage_info import StageInfo

__all__ = ['RecastStageHook']


@HOOKS.register_module()
class RecastStageHook(Hook):
    """Give a resumed staged run its structure before its state loads.

    The runner builds the optimiser for the model as first built, then
    loads a checkpoint. For a checkpoint of stage k the model must first
    have k stages installed (new blocks, new parameters), and the
    optimiser and schedulers must be built for those parameters, or their
    saved state does not fit. A resumed run must also keep its stage
    length. :class:`~mmrecast.engine.RecastLoop` registers this hook
    itself.
    """

    priority = 'HIGHEST'

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        loop = runner.train_loop
        hub = checkpoint.get('message_hub') or {}
        saved = (hub.get('runtime_info') or {}).get(StageInfo.KEY) or {}
        length = saved.get('iters_per_stage')
        if runner.cfg.get('resume') and length \
                and length != loop.iters_per_stage:
            raise ConfigError(
                f'train_cfg.iters_per_stage={loop.iters_per_stage}: this '
                f'work dir was trained with iters_per_stage={length}; resume '
                'with that value, or train in a new work dir')
        iteration = int(checkpoint.get('meta', {}).get('iter', 0))
        stages = loop.stages_done(iteration)
        if stages:
            loop.algorithm.install(stages)
            loop.rebuild_optimizer()
