# Copyright (c) mmrecast contributors. All rights reserved.
"""Export a trained student as a plain mmpretrain classifier."""
import copy
import os
import os.path as osp
from typing import Tuple

import torch
from mmengine.config import Config

from .checkpoint import load_checkpoint_file

__all__ = ['export_student', 'student_model_config']

# What only training (or the algorithm around the student) needs.
_TRAIN_ONLY = ('train_dataloader', 'train_cfg', 'optim_wrapper',
               'param_scheduler', 'auto_scale_lr', 'load_from', 'resume',
               'teacher', 'student', 'plan', 'model_wrapper_cfg',
               'launcher', 'work_dir')


def student_model_config(model: dict, key: str = 'student') -> dict:
    """The student's model config of a distill or recast run's model.

    A recast student is rebuilt from the teacher's architecture and the
    plan (``RecastedClassifier``); a distill student is ``model[key]``.
    """
    from mmrecast.models.algorithms import recasted_student
    model = copy.deepcopy(dict(model))
    if str(model.get('type')).split('.')[-1] in ('BlockRecast',
                                                 'RecastFinetune'):
        return recasted_student(
            model['teacher'], model['plan'], model.get('mode', 'sequential'),
            model.get('keep_next_weights', False), model.get('seed', 0))
    if key not in model:
        raise KeyError(f'model.{key} is not in the config (model type '
                       f'{model.get("type")}); export needs the config of a '
                       'distill or recast run')
    return model[key]


def _student_config(cfg: Config, key: str) -> Config:
    """The run config with the student as the model, minus training."""
    out = copy.deepcopy(cfg._cfg_dict.to_dict())
    out['model'] = student_model_config(out['model'], key)
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

    The config is an mmpretrain classifier config (the run's student, data
    and evaluation settings) that ``tools/test.py`` evaluates with no
    teacher or connector; the checkpoint holds only the student's weights
    (weights-only loadable) and a ``meta`` saying where it came from.

    Args:
        cfg (Config): Config of the distill (or recast) run.
        checkpoint (str): A checkpoint of that run.
        out_dir (str): Output folder (created).
        name (str): File name stem. Defaults to ``'student'``.
        key (str): Where the student is in ``cfg.model`` and its prefix in
            the checkpoint. Defaults to ``'student'``.

    Returns:
        tuple[str, str]: Paths of the config and checkpoint written.
    """
    student_cfg = _student_config(cfg, key)
    state = load_checkpoint_file(checkpoint, 'cpu')
    weights = state.get('state_dict', state)
    prefix = f'{key}.'
    student = {k[len(prefix):]: v for k, v in weights.items()
               if k.startswith(prefix)}
    if not student:
        raise KeyError(f'{checkpoint} holds no weights under {prefix!r}; '
                       'is it a checkpoint of this config?')
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
            raise FileExistsError(f'{path} exists; choose another out_dir '
                                  'or --name (nothing is overwritten)')
    student_cfg.dump(config_path)
    torch.save(dict(state_dict=student, meta=meta), ckpt_path)
    return config_path, ckpt_path
