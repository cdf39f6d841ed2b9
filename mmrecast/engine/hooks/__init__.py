# Copyright (c) mmrecast contributors. All rights reserved.
from .recast_progress_hook import RecastProgressHook

__all__ = ['RecastProgressHook']
