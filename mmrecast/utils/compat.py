# Copyright (c) mmrecast contributors. All rights reserved.
"""Make mmengine 0.10 / mmpretrain 1.2 work on torch 2.14 and numpy 2.

Importing mmrecast changes nothing outside it. The tools turn this layer
on with :func:`apply_compat_patches` (scripts that drive a ``Runner``
themselves call it too). It is the one place where mmrecast changes other
libraries, each fix for one trap of this stack (README, "What mmrecast
fixes on torch 2.14"):

1. checkpoint loading under torch's weights-only default, done without
   unpickling untrusted code (:mod:`mmrecast.utils.checkpoint`);
2. ``pkg_resources`` removed from setuptools >= 82, which mmengine uses to
   resolve ``'mmpretrain::...'`` base configs;
3. ``numpy.in1d`` removed from numpy 2.4, used by mmpretrain's retrieval
   metrics;
4. ``'mmrecast::...'`` base configs: mmengine resolves ``pkg::`` only for
   the OpenMMLab packages it lists (``MODULE2PACKAGE``); mmrecast is added
   there, its configs being ``mmrecast/.mim/configs`` as mim installs them;
5. mmcv-lite's import-time warning about a compiled op (deformable
   attention) that classification never uses, which would otherwise open
   every tool's stderr.
"""
import importlib.metadata
import importlib.util
import os.path as osp
import warnings

import numpy as np

from .checkpoint import patch_checkpoint_loader, patch_history_buffer

__all__ = ['apply_compat_patches', 'is_installed', 'get_installed_path']

_applied = False


def _top_level_module(package: str) -> str:
    """The importable module a distribution provides (``mmcv-lite``->mmcv)."""
    try:
        top_level = importlib.metadata.distribution(package).read_text(
            'top_level.txt')
    except importlib.metadata.PackageNotFoundError:
        top_level = None
    if top_level and top_level.split():
        return top_level.split()[0]
    return package.replace('-', '_')


def is_installed(package: str) -> bool:
    """Whether a distribution or an importable module named so exists.

    Same contract as ``mmengine.utils.is_installed``, without
    ``pkg_resources``.
    """
    try:
        importlib.metadata.distribution(package)
        return True
    except importlib.metadata.PackageNotFoundError:
        spec = importlib.util.find_spec(package)
        return spec is not None and spec.origin is not None


def get_installed_path(package: str) -> str:
    """Folder of the module that ``package`` installs.

    Same contract as ``mmengine.utils.get_installed_path``, without
    ``pkg_resources``; works for regular and editable installs alike because
    it asks the import system where the module is.
    """
    module = _top_level_module(package)
    spec = importlib.util.find_spec(module)
    if spec is None:
        raise importlib.metadata.PackageNotFoundError(package)
    if spec.origin is None:
        raise RuntimeError(f'{package} is a namespace package, which is '
                           'invalid for `get_installed_path`')
    return osp.dirname(spec.origin)


def _patch_package_utils() -> None:
    """Replace mmengine's pkg_resources-based helpers where they are bound."""
    if importlib.util.find_spec('pkg_resources') is not None:
        return
    import mmengine.config.config as config_module
    import mmengine.hub.hub as hub_module
    import mmengine.utils as utils_module
    import mmengine.utils.package_utils as package_utils

    for module in (package_utils, utils_module, config_module, hub_module):
        if hasattr(module, 'is_installed'):
            module.is_installed = is_installed
        if hasattr(module, 'get_installed_path'):
            module.get_installed_path = get_installed_path


def _in1d(ar1, ar2, assume_unique: bool = False, invert: bool = False):
    """numpy 1.x ``in1d``: ``isin`` on the flattened first argument."""
    return np.isin(np.ravel(ar1), ar2, assume_unique=assume_unique,
                   invert=invert)


def _patch_numpy() -> None:
    if not hasattr(np, 'in1d'):
        np.in1d = _in1d


def _register_config_package() -> None:
    from mmengine.config.utils import MODULE2PACKAGE
    MODULE2PACKAGE.setdefault('mmrecast', 'mmrecast')


def apply_compat_patches() -> None:
    """Turn the compatibility layer on for this process (idempotent)."""
    global _applied
    if _applied:
        return
    patch_history_buffer()
    patch_checkpoint_loader()
    _patch_package_utils()
    _patch_numpy()
    _register_config_package()
    warnings.filterwarnings(
        'ignore', message='Fail to import ``MultiScaleDeformableAttention``')
    _applied = True
