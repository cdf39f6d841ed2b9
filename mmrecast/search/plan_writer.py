# Copyright (c) mmrecast contributors. All rights reserved.
"""A searched plan as files the existing tools run."""
import os
import os.path as osp
import pprint
from typing import Dict, List, Mapping, Tuple

import torch

from mmrecast.models.algorithms import CandidateLibrary
from mmrecast.utils.errors import ConfigError
from .latency_table import build_student

__all__ = [
    'candidate_names', 'plan_folder', 'plan_steps', 'search_config_path',
    'search_configs', 'uniform_name', 'uniform_plans', 'write_plan',
    'write_search_plan'
]

#: ``finetune.py``'s starting weights, beside it wherever the folder goes.
_WEIGHTS = '{{ fileDirname }}/student.pth'


def plan_steps(library: CandidateLibrary,
               choice: Mapping[str, int]) -> list:
    """``plan.steps`` of a choice: one ``dict(block=..., recaster=...)``
    per swapped block, in forward order, with ``covers`` for a span."""
    steps = []
    for block in (b for b in library.blocks if b in choice):
        entry = library.options(block)[choice[block]]
        steps.append(dict(block=block, recaster=dict(entry.recaster)))
        if entry.covers is not None:
            steps[-1]['covers'] = entry.covers
    return steps


def search_configs(cfg: Mapping) -> Mapping:
    """A library config's ``search_cfg``: the recast and fine-tune configs
    a plan is written on, refused in one line when it does not name both."""
    search_cfg = cfg.get('search_cfg') or {}
    for key in ('recast_config', 'finetune_config'):
        if key not in search_cfg:
            raise ConfigError(f'search_cfg.{key} is missing (see configs/'
                              'recast_search/README.md)')
    return search_cfg


def search_config_path(library_config: str, search_cfg: Mapping,
                       key: str) -> str:
    """The file that ``search_cfg[key]`` (``'recast_config'`` or
    ``'finetune_config'``) names, which is relative to the folder of the
    library's config file ``library_config``."""
    return osp.normpath(
        osp.join(osp.dirname(library_config), search_cfg[key]))


def plan_folder(work_dir: str, name: str) -> str:
    """Where a search writes the plan ``name``: ``work_dir/plan_<name>``
    (spaces as ``-``)."""
    return osp.join(work_dir, 'plan_' + name.replace(' ', '-'))


def uniform_name(recaster: Mapping) -> str:
    """The name of the plan that gives every block ``recaster`` (a config
    dict): its type, then its arguments, ``ratio`` bare as in
    ``BasicBlockSlim0.25``, the others named (``BasicBlockToConv-groups2``),
    so that two candidates of one type get two names."""
    name = recaster['type'] + str(recaster.get('ratio', ''))
    return name + ''.join(f'-{key}{value}'
                          for key, value in sorted(recaster.items())
                          if key not in ('type', 'ratio'))


def uniform_plans(
        library: CandidateLibrary) -> List[Tuple[str, Dict[str, int]]]:
    """``('all NAME', choice)`` for each candidate that every block has (the
    same recaster config, wherever it stands in a block's list): the
    hand-made baselines that give every block the same candidate."""
    names = candidate_names(library)
    first = names[library.blocks[0]]
    return [(f'all {name}', {b: names[b].index(name) for b in names})
            for name in first if all(name in n for n in names.values())]


def candidate_names(library: CandidateLibrary) -> Dict[str, List[str]]:
    """Block -> the :func:`uniform_name` of each of its candidates, by
    index (a span candidate's ends in ``-span``): how configs and options
    name a library's candidates."""
    return {b: [uniform_name(c.recaster) + ('-span' if c.covers else '')
                for c in library.options(b)]
            for b in library.blocks}


def _config(base: str, out_dir: str, model: dict, header: str) -> str:
    base = osp.relpath(osp.abspath(base), osp.abspath(out_dir))
    return (f'# {header}\n_base_ = [{base!r}]\n\n'
            f'model = {pprint.pformat(model, width=76, sort_dicts=False)}\n')


def write_plan(library: CandidateLibrary, choice: Mapping[str, int],
               out_dir: str, recast_config: str, finetune_config: str,
               note: str) -> None:
    """Write ``out_dir/{recast.py, finetune.py, student.pth}``.

    * ``student.pth``: the teacher with the chosen library candidates in
      place (keys ``student.*``), i.e. what ``recast.py`` would train.
    * ``recast.py``: ``recast_config`` with this plan (teacher-fed); it
      trains the chosen candidates again from scratch, each against the
      output it learnt in the library (a span's: the next block's), for a
      run that should not depend on the library.
    * ``finetune.py``: ``finetune_config`` with this plan, initialised from
      the ``student.pth`` beside it (mmengine's ``{{ fileDirname }}``), so
      that a plan folder copied or moved still finds its weights.

    Args:
        library (CandidateLibrary): The trained library.
        choice (Mapping[str, int]): Block -> candidate index.
        out_dir (str): Folder for the three files (created).
        recast_config (str): A teacher-fed recast config of this teacher.
        finetune_config (str): Its fine-tune config.
        note (str): One line for the configs' header (budget, latency).
    """
    os.makedirs(out_dir, exist_ok=True)
    plan = dict(_delete_=True, sequence=library.sequence,
                steps=plan_steps(library, choice))
    student = build_student(library, choice)
    weights = osp.join(out_dir, osp.basename(_WEIGHTS))
    torch.save(
        dict(state_dict={f'student.{k}': v
                         for k, v in student.state_dict().items()},
             meta=dict(plan=plan['steps'], note=note)), weights)
    files = dict(
        recast=(recast_config,
                dict(plan=plan, mode='parallel', input_size=library.input_size)
                ),
        finetune=(finetune_config,
                  dict(plan=plan, mode='parallel',
                       input_size=library.input_size,
                       init_from=[dict(module='student',
                                       checkpoint=_WEIGHTS,
                                       prefix='student.')])))
    for name, (base, model) in files.items():
        with open(osp.join(out_dir, f'{name}.py'), 'w') as f:
            f.write(_config(base, out_dir, model,
                            f'recast plan ({note}): {name} stage'))


def write_search_plan(library: CandidateLibrary, plan: Mapping, batch: int,
                      work_dir: str, library_config: str,
                      search_cfg: Mapping) -> str:
    """Write ``plan`` (an entry of a search's ``search.json``: ``name``,
    ``choice``, ``measured_ms``, or ``predicted_ms`` for a plan never
    measured) to its :func:`plan_folder`, with the recast and fine-tune
    configs that ``search_cfg`` names relative to the library's config file
    ``library_config``; return the folder."""
    out_dir = plan_folder(work_dir, plan['name'])
    if plan.get('measured_ms') is not None:
        timing = f"{plan['measured_ms']:.3f} ms"
    elif plan.get('predicted_ms') is not None:
        timing = f"{plan['predicted_ms']:.3f} ms predicted"
    else:
        timing = 'not timed'
    write_plan(library, plan['choice'], out_dir,
               search_config_path(library_config, search_cfg, 'recast_config'),
               search_config_path(library_config, search_cfg,
                                  'finetune_config'),
               f"{plan['name']}: {len(plan['choice'])} blocks swapped, "
               f'{timing} at batch {batch}')
    return out_dir
