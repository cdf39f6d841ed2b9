# Copyright (c) mmrecast contributors. All rights reserved.
from .runner import *  # noqa: F401,F403
from .runner import __all__ as _runner_all

__all__ = list(_runner_all)
