# Copyright (c) mmrecast contributors. All rights reserved.
"""Export the student of a run as a classifier config + weights."""
import copy
import datetime
import os
import os.path as osp
from typing import Optional, Tuple

import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmrecast.registry import MODELS
from mmrecast.utils.checkpoint import (load_checkpoint_file,
                                       write_text_atomically)
from mmrecast.utils.errors import CheckpointFileError, ConfigError
from mmrecast.utils.weights import (existing_checkpoint, load_exactly,
                                    top_level_names, without_weight_files)
from .merged_student import merged_equivalent

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
    without_weight_files(out['model'])  # the exported .pth holds them all
    # the user's imports (their recasters, blocks) stay; mmrecast.models
    # lets mmpretrain's own tools build mmrecast's modules too
    imports = dict(out.get('custom_imports') or {}).get('imports', [])
    imports = [imports] if isinstance(imports, str) else list(imports)
    out['custom_imports'] = dict(
        imports=list(dict.fromkeys(['mmrecast.models', *imports])),
        allow_failed_imports=False)
    return Config(out)


def _plain_equivalent(model_cfg: dict, student: nn.Module,
                      weights: dict) -> Optional[dict]:
    """The config of a registered plain network that is exactly the recast
    ``student`` (built from ``model_cfg``, holding ``weights``, in eval
    mode): the same weights, the same outputs; or None."""
    if 'architecture' not in model_cfg:
        return None
    backbone = getattr(student, 'backbone', None)
    plain_backbone = getattr(backbone, 'plain_equivalent', lambda: None)()
    if plain_backbone is None:
        return None
    plain_cfg = copy.deepcopy(model_cfg['architecture'])
    plain_cfg['backbone'] = plain_backbone
    if 'data_preprocessor' in model_cfg:
        plain_cfg.setdefault('data_preprocessor',
                             model_cfg['data_preprocessor'])
    plain = MODELS.build(plain_cfg).eval()
    try:
        plain.load_state_dict(weights, strict=True)
    except (RuntimeError, KeyError):
        return None
    probe = torch.randn(2, plain_backbone['in_channels'], 32, 32)
    with torch.no_grad():
        same = torch.equal(
            student(probe, mode='tensor'), plain(probe, mode='tensor'))
    return plain_cfg if same else None


def _header(cfg: Config, checkpoint: str, model: dict, merged: bool) -> str:
    """What the exported config is, as comment lines above it."""
    run = cfg.model
    teacher = run.get('teacher') or run.get('architecture') or {}
    backbone = teacher.get('backbone', {}) if isinstance(teacher, dict) \
        else {}
    lines = [
        f'mmrecast student, exported {datetime.date.today().isoformat()} '
        f'by tools/export_student.py',
        f'run config: {cfg.filename or "(in memory)"} ({run.get("type")})',
        f'source checkpoint: {osp.abspath(checkpoint)}',
        f'teacher: {teacher.get("type")} / {backbone.get("type")} '
        f'{backbone.get("depth", "")}'.rstrip(),
    ]
    if run.get('plan'):
        steps = '; '.join(
            f'{step.get("blocks", step.get("block"))} -> '
            f'{step["recaster"]["type"]}'
            for step in run['plan'].get('steps', []))
        lines.append(f'plan: {steps}')
    lines.append(f'model: {model.get("type")} / '
                 f'{model.get("backbone", {}).get("type")}')
    if merged:
        lines.append('multi-branch blocks merged for inference (deploy=True);'
                     ' the source checkpoint has them as trained')
    lines.append('weights: the .pth beside this file; no teacher file is '
                 'needed')
    return ''.join(f'# {line}\n' for line in lines) + '\n'


def export_student(cfg: Config,
                   checkpoint: str,
                   out_dir: str,
                   name: str = 'student',
                   key: str = 'student') -> Tuple[str, str]:
    """Write the student of a run as ``<name>.py`` + ``<name>.pth``.

    The config holds the run's student as its model (a distill student's
    own classifier config; for a recast student
    ``mmrecast.RecastedClassifier``: the teacher's architecture plus the
    plan; a registered plain network where it is exactly that; the merged
    form, ``deploy=True``, where it has multi-branch blocks) with the run's
    data and evaluation settings, so ``tools/test.py`` evaluates it with
    no teacher or connector. The checkpoint holds only
    the student's weights (weights-only loadable) and a ``meta`` saying
    where it came from.

    Args:
        cfg (Config): Config of the distill (or recast) run.
        checkpoint (str): A checkpoint of that run, or its work dir (the
            latest checkpoint there).
        out_dir (str): Output folder (created).
        name (str): File name stem. Defaults to ``'student'``.
        key (str): The student's key prefix (without the dot) in
            the checkpoint. Defaults to ``'student'``.

    Returns:
        tuple[str, str]: Paths of the config and checkpoint written.
    """
    student_cfg = _student_config(cfg)
    checkpoint = existing_checkpoint(checkpoint, 'checkpoint')
    state = load_checkpoint_file(checkpoint, 'cpu')
    weights = state.get('state_dict', state)
    prefix = f'{key}.'
    student = {k[len(prefix):]: v for k, v in weights.items()
               if k.startswith(prefix)}
    if not student:
        raise CheckpointFileError(
            f'{checkpoint}: holds no weights under {prefix!r} (its top-level '
            f'names: {", ".join(top_level_names(weights))}); give the '
            'checkpoint tools/train.py writes for this config')
    config_path = osp.join(out_dir, f'{name}.py')
    ckpt_path = osp.join(out_dir, f'{name}.pth')
    for path in (config_path, ckpt_path):
        if osp.exists(path):
            raise ConfigError(f'{path}: exists; choose another out_dir or '
                              '--name (nothing is overwritten)')
    # refused here, not when the written pair is first loaded; the one
    # build of the student, which the plain and merged forms are checked
    # against
    model = MODELS.build(student_cfg.model.to_dict())
    load_exactly(model, student, f'{checkpoint} (its {prefix!r} weights)')
    model.eval()
    meta = dict(
        exported_from=osp.abspath(checkpoint),
        source_meta={
            k: v
            for k, v in state.get('meta', {}).items()
            if isinstance(v, (str, int, float))
        })
    os.makedirs(out_dir, exist_ok=True)
    plain = _plain_equivalent(student_cfg.model.to_dict(), model, student)
    merged = None if plain is not None else merged_equivalent(
        student_cfg.model.to_dict(), model)
    if plain is not None:
        student_cfg.model = plain
    elif merged is not None:
        student_cfg.model, student = merged
    text = _header(cfg, checkpoint, student_cfg.model, merged is not None) \
        + student_cfg.pretty_text
    # a failure leaves no partial file that would block the next try
    torch.save(dict(state_dict=student, meta=meta), ckpt_path + '.part')
    write_text_atomically(config_path, text)
    os.replace(ckpt_path + '.part', ckpt_path)
    return config_path, ckpt_path
