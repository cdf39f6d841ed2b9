# Copyright (c) mmrecast contributors. All rights reserved.
import hashlib
import importlib
import importlib.util
import inspect
import os.path as osp
import re
import sys
from typing import Callable, Optional, Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmrecast.registry import MODELS
from mmrecast.utils.checkpoint import load_checkpoint_file
from mmrecast.utils.errors import ConfigError
from mmrecast.utils.state_dict import KeyMap, remap_state_dict
from mmrecast.utils.weights import key_mismatch

__all__ = ['ExternalBackbone', 'import_callable']


def _import_file(file: str, path: str):
    """Import a model file once per process, under a name fixed by its
    absolute path, so that its classes are the same objects at every build
    (what is registered on them, e.g. a recaster rule, keeps matching)."""
    if not osp.isfile(file):
        raise ConfigError(f'module={path!r}: no file {file}; check the '
                          'path (relative to where the tool runs)')
    real = osp.realpath(file)
    stem = osp.splitext(osp.basename(real))[0]
    digest = hashlib.sha1(real.encode()).hexdigest()[:10]
    name = f'mmrecast_file_{stem}_{digest}'
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, real)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # before running it, as import does
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
    return sys.modules[name]


def import_callable(path: str) -> Callable:
    """Import ``'pkg.module.Name'``, ``'pkg.module:Name'`` or
    ``'path/to/file.py:Name'`` (a file is imported once per process).

    Args:
        path (str): Where the callable is.

    Returns:
        Callable: The imported object.
    """
    if ':' in path:
        where, name = path.rsplit(':', 1)
    else:
        where, _, name = path.rpartition('.')
    if not where or not name:
        raise ConfigError(f"module={path!r}: use 'package.module.Name', "
                          "'package.module:Name' or 'file.py:Name'")
    if where.endswith('.py'):
        module = _import_file(where, path)
    else:
        try:
            module = importlib.import_module(where)
        except ModuleNotFoundError as error:
            raise ConfigError(f'module={path!r}: no module named '
                              f'{error.name!r}; check the spelling, or '
                              'install it') from error
    if not hasattr(module, name):
        raise ConfigError(f'module={path!r}: {where} has no {name!r}; '
                          'check the spelling')
    return getattr(module, name)


def _build(path: str, factory: Callable, kwargs: dict) -> nn.Module:
    """``factory(**kwargs)``, with arguments it does not take refused in one
    line that names ``kwargs`` (a factory that forwards ``**kwargs``, as
    torchvision's do, is found out only by the call)."""
    if not callable(factory):
        raise ConfigError(f'module={path!r} is a {type(factory).__name__}, '
                          'not a network class or factory')
    try:
        inspect.signature(factory).bind(**kwargs)
    except ValueError:  # no signature to read (a builtin)
        pass
    except TypeError as error:
        raise ConfigError(f'module={path!r}: kwargs={kwargs!r}: {error}; '
                          'check them against its signature') from None
    try:
        built = factory(**kwargs)
    except TypeError as error:
        unexpected = re.search(r"unexpected keyword argument '(\w+)'",
                               str(error))
        if not unexpected or unexpected[1] not in kwargs:
            raise
        raise ConfigError(f'module={path!r}: kwargs has {unexpected[1]!r}, '
                          'which it does not take; check them against its '
                          'signature') from None
    if not isinstance(built, nn.Module):
        raise ConfigError(f'module={path!r} built a {type(built).__name__}, '
                          'not an nn.Module; name a network class or factory')
    return built


@MODELS.register_module()
class ExternalBackbone(BaseModule):
    """Use any importable ``nn.Module`` (torchvision, timm, your own file)
    as the backbone of an mmpretrain classifier, e.g. a teacher trained
    outside OpenMMLab.

    The wrapped network is ``self.module``; its output (usually the logits)
    is returned as a 1-tuple, so pair it with a parameter-free
    ``ClsHead``. Its blocks are addressed as ``backbone.module.<path>``.

    Example:
        >>> model = dict(
        ...     type='ImageClassifier', _scope_='mmpretrain',
        ...     backbone=dict(
        ...         type='mmrecast.ExternalBackbone',
        ...         module='torchvision.models.resnet18',
        ...         kwargs=dict(num_classes=10),
        ...         checkpoint='teacher.pth',
        ...         key_map={'^module\\.': ''}),
        ...     head=dict(type='ClsHead',
        ...               loss=dict(type='CrossEntropyLoss')))

    Args:
        module (str): The class or factory: ``'pkg.module.Name'``,
            ``'pkg.module:Name'`` or ``'path/to/file.py:Name'``.
        kwargs (dict, optional): Keyword arguments for it.
        checkpoint (str, optional): Weights to load, weights-only (see
            :mod:`mmrecast.utils.checkpoint`).
        state_dict_key (str, optional): Entry of the checkpoint holding the
            weights. Defaults to ``'state_dict'`` or ``'model'`` when present,
            else the whole file.
        key_map (dict | list, optional): Regex renames applied to the keys
            (:func:`~mmrecast.utils.state_dict.remap_state_dict`).
        strict (bool): Require an exact key match. Defaults to True.
        init_cfg (dict, optional): Initialization config.
    """

    def __init__(self,
                 module: str,
                 kwargs: Optional[dict] = None,
                 checkpoint: Optional[str] = None,
                 state_dict_key: Optional[str] = None,
                 key_map: Optional[KeyMap] = None,
                 strict: bool = True,
                 init_cfg: Optional[dict] = None):
        super().__init__(init_cfg=init_cfg)
        self.module = _build(module, import_callable(module), kwargs or {})
        if checkpoint is not None:
            self.load_external_weights(checkpoint, state_dict_key, key_map,
                                       strict)

    def load_external_weights(self,
                              checkpoint: str,
                              state_dict_key: Optional[str] = None,
                              key_map: Optional[KeyMap] = None,
                              strict: bool = True) -> None:
        """Load (and rename) weights into the wrapped module."""
        loaded = load_checkpoint_file(checkpoint, map_location='cpu')
        if state_dict_key is not None:
            if state_dict_key not in loaded:
                raise ConfigError(
                    f'state_dict_key={state_dict_key!r} is not in '
                    f'{checkpoint}; it has {sorted(loaded)[:8]}')
            loaded = loaded[state_dict_key]
        else:
            for key in ('state_dict', 'model'):
                if isinstance(loaded.get(key), dict):
                    loaded = loaded[key]
                    break
        if key_map:
            loaded = remap_state_dict(loaded, key_map)
        own = self.module.state_dict()
        name = type(self.module).__name__
        reshaped = [
            k for k, v in loaded.items()
            if k in own and v.shape != own[k].shape
        ]
        if reshaped:
            raise ConfigError(f'{checkpoint} does not fit {name}: shapes '
                              f'differ for {reshaped[:5]}; check `kwargs` '
                              f'(e.g. num_classes)')
        missing = [k for k in own if k not in loaded]
        unexpected = [k for k in loaded if k not in own]
        if strict and (missing or unexpected):
            raise ConfigError(f'{checkpoint} does not match {name}: '
                              f'{key_mismatch(missing, unexpected, 5)}; fix '
                              'the names with key_map or pass strict=False')
        self.module.load_state_dict(loaded, strict=False)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor]:
        return (self.module(x), )
