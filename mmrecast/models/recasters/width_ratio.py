# Copyright (c) mmrecast contributors. All rights reserved.
"""The ``ratio`` argument of the recasters that keep a fraction of a
block's filters."""
from mmrecast.utils.errors import ConfigError

__all__ = ['check_ratio', 'scaled_width']


def check_ratio(owner: str, ratio: float, keep_all: bool = True) -> float:
    """``ratio`` if it lies in (0, 1] (in (0, 1) when ``keep_all`` is
    False), else a :class:`ConfigError` that names ``owner``'s argument."""
    upper = ']' if keep_all else ')'
    if not isinstance(ratio, (int, float)) or not (
            0 < ratio < 1 or (keep_all and ratio == 1)):
        raise ConfigError(f'{owner}: ratio={ratio!r} is not in (0, 1{upper}; '
                          'give the kept fraction of the filters, e.g. '
                          'ratio=0.5')
    return ratio


def scaled_width(channels: int, ratio: float) -> int:
    """``round(ratio * channels)``, at least one channel."""
    return max(1, round(channels * ratio))
