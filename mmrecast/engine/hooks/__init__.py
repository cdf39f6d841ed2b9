# Copyright (c) mmrecast contributors. All rights reserved.
from .recast_checkpoint_hook import RecastCheckpointHook
from .recast_progress_hook import RecastProgressHook
from .recast_stage_hook import RecastStageHook

__all__ = ['RecastCheckpointHook', 'RecastProgressHook', 'RecastStageHook']
