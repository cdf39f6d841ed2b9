# Copyright (c) mmrecast contributors. All rights reserved.
from .allocator import MALLOC_TUNING_ENV, keep_freed_memory
from .checkpoint import (UNSAFE_LOAD_ENV, UnsafeCheckpointError,
                         load_checkpoint_file, set_unsafe_load,
                         unsafe_load_enabled)
from .compat import apply_compat_patches
from .dist import destroy_distributed, init_cpu_distributed
from .errors import ConfigError
from .model_cfg import runner_model_cfg
from .precision import tf32_disabled
from .runtime import setup_runtime
from .weights import checkpoint_file, load_weights_into

__all__ = [
    'MALLOC_TUNING_ENV', 'keep_freed_memory', 'UNSAFE_LOAD_ENV',
    'UnsafeCheckpointError', 'load_checkpoint_file', 'set_unsafe_load',
    'unsafe_load_enabled', 'apply_compat_patches', 'destroy_distributed',
    'init_cpu_distributed', 'ConfigError', 'tf32_disabled', 'setup_runtime',
    'checkpoint_file', 'load_weights_into', 'runner_model_cfg'
]
