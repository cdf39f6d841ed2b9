# Copyright (c) mmrecast contributors. All rights reserved.
from . import (algorithms, backbones, blocks, connectors, losses,  # noqa: F401
               recasters, recorders, utils)
from .algorithms import *  # noqa: F401,F403
from .backbones import *  # noqa: F401,F403
from .blocks import *  # noqa: F401,F403
from .connectors import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .recasters import *  # noqa: F401,F403
from .recorders import *  # noqa: F401,F403

__all__ = (
    algorithms.__all__ + backbones.__all__ + blocks.__all__ +
    connectors.__all__ + losses.__all__ + recasters.__all__ +
    recorders.__all__)
