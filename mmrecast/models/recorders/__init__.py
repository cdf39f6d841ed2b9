# Copyright (c) mmrecast contributors. All rights reserved.
from .feature_recorder import (FeatureRecorder, StopForward, dense,
                               resolve_module)
from .input_recorder import InputRecorder

__all__ = [
    'FeatureRecorder', 'InputRecorder', 'StopForward', 'dense',
    'resolve_module'
]
