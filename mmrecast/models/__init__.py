# Copyright (c) mmrecast contributors. All rights reserved.
from .backbones import *  # noqa: F401,F403
from .blocks import *  # noqa: F401,F403
