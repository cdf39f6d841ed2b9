# Copyright (c) mmrecast contributors. All rights reserved.
"""Export the student of a run as a classifier config + weights."""
import copy
import os
import os.path as osp
from typing import Tuple

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmrecast.registry import MODELS
from mmrecast.utils.checkpoint import load_checkpoint_file
from mmrecast.utils.errors import CheckpointFileError, ConfigError

__all__ = ['export_student', 'student_model_config']

# What only training (or the algorithm around the student) needs.
_TRAIN_ONLY = ('train_dataloader', 'train_cfg', 'optim_wrapper',
               'param_scheduler', 'auto_scale_lr', 'load_from', 'resume',
               'teacher', 'student', 'plan', 'model_wrapper_cfg',
               'launcher', 'work_dir')


def student_model_config(model: dict, default_scope: str = 'mmrecast'
                         ) -> dict:
    """The student's model config in a run's model config: what the
    algorithm's :meth:`~mmrecast.models.BaseAlgorithm.student_config`
    says (a recast student is the teacher's architecture plus the plan, a
    distill student is ``model['student']``)."""
    init_default_scope(default_scope)
    algorithm = MODELS.get(model.get('type'))
    if algorithm is None or not hasattr(algorithm, 'student_config'):
        raise ConfigError(f'model.type={model.get("type")!r}: not an '
                          'mmrecast algorithm; export needs the config of a '
                          'distill or recast run')
    return algorithm.student_config(copy.deepcopy(dict(model)))


def _student_config(cfg: Config) -> Config:
    """The run config with the student as the model, minus training."""
    out = cfg.to_dict()
    out['model'] = student_model_config(
        out['model'], out.get('default_scope', 'mmrecast'))
    for name in _TRAIN_ONLY:
        out.pop(name, None)
    model = out['model'].get('architecture', out['model'])
    backbone = model.get('backbone', {}).get('type', '')
    if str(out['model']['type']).startswith('mmrecast.') \
            or str(backbone).startswith('mmrecast.'):
        # lets mmpretrain's own tools build the mmrecast backbone too
        out['custom_imports'] = dict(
            imports=['mmrecast.models'], allow_failed_imports=False)
    return Config(out)


def export_student(cfg: Config,
                   checkpoint: str,
                   out_dir: str,
                   name: str = 'student',
                   key: str = 'student') -> Tuple[str, str]:
    """Write the student of a run as ``<name>.py`` + ``<name>.pth``.

    The config holds the run's student as its model (a distill student's
    own classifier config; for a recast student
    ``mmrecast.RecastedClassifier``: the teacher's architecture plus the
    plan) with the run's data and evaluation settings, so ``tools/test.py``
    evaluates it with no teacher or connector. The checkpoint holds only
    the student's weights (weights-only loadable) and a ``meta`` saying
    where it came from.

    Args:
        cfg (Config): Config of the distill (or recast) run.
        checkpoint (str): A checkpoint of that run.
        out_dir (str): Output folder (created).
        name (str): File name stem. Defaults to ``'student'``.
        key (str): The student's key prefix (without the dot) in
            the checkpoint. Defaults to ``'student'``.

    Returns:
        tuple[str, str]: Paths of the config and checkpoint written.
    """
    student_cfg = _student_config(cfg)
    state = load_checkpoint_file(checkpoint, 'cpu')
    weights = state.get('state_dict', state)
    prefix = f'{key}.'
    student = {k[len(prefix):]: v for k, v in weights.items()
               if k.startswith(prefix)}
    if not student:
        raise CheckpointFileError(f'{checkpoint}: holds no weights under '
                                  f'{prefix!r}; is it a checkpoint of this '
                                  'config?')
    meta = dict(
        exported_from=osp.abspath(checkpoint),
        source_meta={
            k: v
            for k, v in state.get('meta', {}).items()
            if isinstance(v, (str, int, float))
        })
    os.makedirs(out_dir, exist_ok=True)
    config_path = osp.join(out_dir, f'{name}.py')
    ckpt_path = osp.join(out_dir, f'{name}.pth')
    for path in (config_path, ckpt_path):
        if osp.exists(path):
            raise ConfigError(f'{path}: exists; choose another out_dir or '
                              '--name (nothing is overwritten)')
    student_cfg.dump(config_path)
    torch.save(dict(state_dict=student, meta=meta), ckpt_path)
    return config_path, ckpt_path
