# Copyright (c) mmrecast contributors. All rights reserved.
"""mmrecast: turn a trained teacher network into a student of another
architecture (Network Recasting, Factor Transfer) on OpenMMLab."""
import importlib.util

from .version import __version__, version_info

if importlib.util.find_spec('mmcv') is None:
    raise ImportError(
        'mmrecast needs the `mmcv` package: pip install "mmcv-lite==2.2.0" '
        '(or keep the full mmcv 2.x you already have)')

from .utils.compat import apply_compat_patches  # noqa: E402

apply_compat_patches()

__all__ = ['__version__', 'version_info']
