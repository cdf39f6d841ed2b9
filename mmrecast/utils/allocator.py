# Copyright (c) mmrecast contributors. All rights reserved.
"""Keep freed tensor memory in the process (glibc ``malloc`` tuning).

On CPU every forward pass allocates its activations afresh. glibc serves
blocks above its mmap threshold (a few MB) with a new ``mmap`` each time and
returns them when freed, so each step pays page faults and the kernel's
zeroing of hundreds of MB. PyTorch has no CPU caching allocator, hence this
module: it asks glibc (``mallopt``) to serve large blocks from its heap and
keep freed memory for reuse, as jemalloc/tcmalloc would via ``LD_PRELOAD``.
The price: memory freed after a peak stays with the process. The measured
effect is in ``configs/factor_transfer/README.md``.
"""
import ctypes
import ctypes.util
import os
import platform

__all__ = ['MALLOC_TUNING_ENV', 'keep_freed_memory']

MALLOC_TUNING_ENV = 'MMRECAST_MALLOC_TUNING'

# mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3

_applied = False


def keep_freed_memory() -> bool:
    """Tune glibc ``malloc`` for repeated large allocations (idempotent).

    Does nothing on a C library other than glibc, or when the environment
    variable ``MMRECAST_MALLOC_TUNING=0`` is set.

    Returns:
        bool: Whether the tuning is in effect.
    """
    global _applied
    if _applied:
        return True
    if os.environ.get(MALLOC_TUNING_ENV, '1') == '0' \
            or platform.libc_ver()[0] != 'glibc':
        return False
    libc = ctypes.CDLL(ctypes.util.find_library('c'))
    mb = 1 << 20
    # blocks up to 1 GB come from the heap (a 2048 -> 2048 3x3 conv's weight
    # gradient alone is 151 MB); the heap is trimmed only when more than
    # 1 GB at its top is free, and grows 64 MB at a time
    ok = all((libc.mallopt(_M_MMAP_THRESHOLD, 1024 * mb),
              libc.mallopt(_M_TRIM_THRESHOLD, 1024 * mb),
              libc.mallopt(_M_TOP_PAD, 64 * mb)))
    _applied = bool(ok)
    return _applied
