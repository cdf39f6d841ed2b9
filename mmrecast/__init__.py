# Copyright (c) mmrecast contributors. All rights reserved.
"""mmrecast: turn a trained teacher network into a student of another
architecture (Network Recasting, Factor Transfer) on OpenMMLab.

Importing it changes nothing in other libraries; the tools turn on the
compatibility layer for torch 2.14
(:func:`mmrecast.utils.apply_compat_patches`).
"""
import importlib.util

from .version import __version__, version_info

if importlib.util.find_spec('mmcv') is None:
    raise ImportError(
        'mmrecast needs the `mmcv` package: pip install "mmcv-lite==2.2.0" '
        '(or keep the full mmcv 2.x you already have)')

__all__ = ['__version__', 'version_info']
