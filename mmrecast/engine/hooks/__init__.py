# Copyright (c) mmrecast contributors. All rights reserved.
from .channels_last_hook import ChannelsLastHook, channels_last_batch
from .deadline_hook import DeadlineHook
from .divergence_guard_hook import DivergenceGuardHook, TrainingDiverged
from .recast_checkpoint_hook import RecastCheckpointHook
from .recast_progress_hook import RecastProgressHook
from .recast_stage_hook import RecastStageHook
from .strict_load_hook import StrictLoadHook

__all__ = [
    'ChannelsLastHook', 'channels_last_batch', 'DeadlineHook',
    'DivergenceGuardHook', 'TrainingDiverged', 'RecastCheckpointHook',
    'RecastProgressHook', 'RecastStageHook', 'StrictLoadHook'
]
