# Copyright (c) mmrecast contributors. All rights reserved.
"""A student with multi-branch blocks, as config + weights of its merged
form (mmpretrain's ``deploy=True`` convention)."""
import copy
import inspect
import logging
from typing import Any, List, Optional, Tuple

import torch
import torch.nn as nn
from mmengine.logging import print_log

from mmrecast.models.utils import reparameterized
from mmrecast.registry import MODELS, RECASTERS
from mmrecast.utils.config_check import registered_class

__all__ = ['merged_equivalent']


def _takes_deploy(cfg: dict, scope: Optional[str]) -> bool:
    """Whether the registered class of the config ``cfg`` (a model or a
    recaster) has a ``deploy`` argument."""
    kind = registered_class(MODELS, cfg, scope) or \
        registered_class(RECASTERS, cfg, scope)
    return kind is not None and \
        'deploy' in inspect.signature(kind).parameters


def _set_deploy(cfg: Any, scope: Optional[str] = None) -> bool:
    """Set ``deploy=True`` on every config dict in ``cfg`` whose type takes
    it (in place; ``_scope_`` as the builders read it); whether there was
    one."""
    found = False
    if isinstance(cfg, dict):
        scope = cfg.get('_scope_', scope)
        if 'type' in cfg and _takes_deploy(cfg, scope):
            cfg['deploy'] = found = True
        values = cfg.values()
    elif isinstance(cfg, (list, tuple)):
        values = cfg
    else:
        return False
    for value in values:
        found = _set_deploy(value, scope) or found
    return found


def merged_equivalent(model_cfg: dict,
                      model: nn.Module) -> Optional[Tuple[dict, dict]]:
    """The config and weights of ``model``, built from ``model_cfg`` and
    holding its trained weights, in its merged form, or None when it has
    no block to merge.

    The blocks are merged as the exporters merge them
    (:func:`~mmrecast.models.utils.reparameterized`, on a copy); every
    config dict whose type takes ``deploy`` gets ``deploy=True``. The
    result is kept only where its weights load strictly and it computes
    the same outputs as ``model`` in eval mode (which ``model`` is left
    in).
    """
    deployed_cfg = copy.deepcopy(model_cfg)
    if not _set_deploy(deployed_cfg):
        return None
    model.eval()  # not chained: some train() overrides return None
    merged = reparameterized(model)
    if merged is model:
        return None
    deployed = MODELS.build(copy.deepcopy(deployed_cfg)).eval()
    merged_weights = merged.state_dict()
    try:
        deployed.load_state_dict(merged_weights, strict=True)
    except RuntimeError:  # a type with `deploy` that merges otherwise
        return None
    conv = next(m for m in model.modules() if isinstance(m, nn.Conv2d))
    probe = torch.randn(2, conv.in_channels, 32, 32,
                        generator=torch.Generator().manual_seed(0))
    try:
        with torch.no_grad():
            before = _tensors(model(probe, mode='tensor'))
            after = _tensors(deployed(probe, mode='tensor'))
    except Exception as error:  # noqa: B902 (e.g. a model of fixed size)
        print_log(f'export: branches not merged, the merged model could '
                  f'not be checked on a 32x32 probe ({error!r:.200})',
                  logger='current', level=logging.WARNING)
        return None
    if len(before) != len(after) or not all(
            torch.allclose(a, b, rtol=1e-4,
                           atol=1e-4 * float(b.abs().max().clamp(min=1e-6)))
            for a, b in zip(after, before)):
        print_log('export: branches not merged, the merged model computes '
                  'other outputs than the trained one', logger='current',
                  level=logging.WARNING)
        return None
    return deployed_cfg, merged_weights


def _tensors(output: Any) -> List[torch.Tensor]:
    """A model's output as a list of tensors (one, or a tuple's)."""
    return [output] if isinstance(output, torch.Tensor) else list(output)
