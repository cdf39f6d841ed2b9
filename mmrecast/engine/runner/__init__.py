# Copyright (c) mmrecast contributors. All rights reserved.
from .recast_loop import RecastLoop

__all__ = ['RecastLoop']
