# Copyright (c) mmrecast contributors. All rights reserved.
from .hooks import *  # noqa: F401,F403
from .hooks import __all__ as _hooks_all
from .optim import *  # noqa: F401,F403
from .optim import __all__ as _optim_all
from .runner import *  # noqa: F401,F403
from .runner import __all__ as _runner_all
from .stage_info import StageInfo

__all__ = list(_hooks_all) + list(_optim_all) + list(_runner_all) + [
    'StageInfo'
]
