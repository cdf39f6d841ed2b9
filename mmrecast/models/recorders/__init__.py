# Copyright (c) mmrecast contributors. All rights reserved.
from .feature_recorder import (FeatureRecorder, StopForward, dense,
                               resolve_module)

__all__ = ['FeatureRecorder', 'StopForward', 'dense', 'resolve_module']
