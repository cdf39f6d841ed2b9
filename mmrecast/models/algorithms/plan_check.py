# Copyright (c) mmrecast contributors. All rights reserved.
"""Check a recast plan before training: build every target, run a probe
batch through the student stage by stage, and tabulate what changes."""
import copy
from typing import List, Optional, Sequence

import torch
import torch.nn as nn

from mmrecast.registry import MODELS
from mmrecast.utils.complexity import count_macs, count_params, macs_by_module
from mmrecast.utils.errors import ConfigError, first_line
from mmrecast.utils.weights import without_weight_files
from ..recasters import RecastPlan, RecastStep, probe_input, probe_io
from .recast_modes import build_recast_mode

__all__ = ['check_plan', 'check_stages', 'plan_table']


def _first_line(error: BaseException) -> str:
    """The first line of ``error``: whole when it is ours (a
    ``ConfigError``), cut short when a library's message runs on."""
    return first_line(error,
                      None if isinstance(error, ConfigError) else 200)


def check_plan(model_cfg: dict, probe: torch.Tensor) -> List[dict]:
    """Apply a recast run's plan (the fields of ``BlockRecast``) to its
    teacher as training would, stage by stage, each stage followed by one
    forward of ``probe``; weights are not needed (none are loaded).

    Returns:
        list[dict]: One row per recast block (see :func:`plan_table`).

    Raises:
        ConfigError: The first thing that would fail, in one line: a path
            the plan does not find, a target that cannot be built, a next
            block without a rebuild rule, a width or stride mismatch.
    """
    teacher_cfg = without_weight_files(
        copy.deepcopy(dict(model_cfg['teacher'])))
    teacher = MODELS.build(teacher_cfg).eval()
    plan = RecastPlan(**model_cfg['plan'])
    mode = build_recast_mode(
        model_cfg.get('mode', 'sequential'),
        keep_next_weights=model_cfg.get('keep_next_weights', False))
    steps = plan.expand(teacher)
    width_probe = probe_input(model_cfg.get('input_size'))
    try:
        mode.check(teacher, steps, width_probe)
    except (TypeError, ValueError, RuntimeError) as error:
        raise ConfigError(_first_line(error)) from None
    return check_stages(teacher, plan, mode.stages(steps), mode.rebuild_next,
                        model_cfg.get('seed', 0), probe, width_probe)


def check_stages(teacher: nn.Module,
                 plan: RecastPlan,
                 stages: Sequence[Sequence[RecastStep]],
                 rebuild_next: bool,
                 seed: int,
                 probe: torch.Tensor,
                 width_probe: Optional[torch.Tensor] = None) -> List[dict]:
    """:func:`check_plan` on a built teacher and its grouped steps (what
    :class:`~mmrecast.models.BlockRecast` holds); ``teacher`` is not
    changed. ``width_probe`` is what training measures widths with (None:
    read from the blocks), ``probe`` what the student is run on."""
    teacher = copy.deepcopy(teacher).eval()
    steps = [step for stage in stages for step in stage]
    paths = sorted({s.block for s in steps} | {s.next for s in steps})
    before = probe_io(teacher, paths, probe)
    student = copy.deepcopy(teacher)
    teacher_macs = macs_by_module(teacher, probe.shape[1:])
    rows, targets = [], []
    for k, stage in enumerate(stages, 1):
        for step in stage:
            source = student.get_submodule(step.block)
            next_block = student.get_submodule(step.next)
            what = (f'stage {k}: {step.block} ({type(source).__name__}) -> '
                    f'{type(step.recaster).__name__}')
            try:
                plan.apply_step(student, step, seed, rebuild_next,
                                width_probe)
            except (TypeError, ValueError, RuntimeError, KeyError) as error:
                raise ConfigError(f'{what}: {_first_line(error)}') from None
            rebuilt = student.get_submodule(step.next) is not next_block
            rows.append(dict(
                stage=k, block=step.block, source=type(source).__name__,
                target=type(student.get_submodule(step.block)).__name__,
                next=step.next, rebuilt=rebuilt))
        try:
            after = probe_io(student, paths, probe)
        except Exception as error:  # noqa: B902 (any failure, one line)
            blocks = ', '.join(s.block for s in stage)
            raise ConfigError(
                f'stage {k}: the student does not run once {blocks} is '
                f'recast ({_first_line(error)}); check the recaster\'s '
                'output width and stride') from None
        for row in rows[-len(stage):]:
            (old, _), (new, new_in) = (before[row['block']],
                                       after[row['block']])
            target = student.get_submodule(row['block'])
            targets.append((target, new_in))
            row.update(
                in_channels=new.in_channels, out_channels=new.out_channels,
                old_out=old.out_channels, stride=new.stride,
                old_stride=old.stride)
            if row['stride'] != row['old_stride']:
                raise ConfigError(
                    f'stage {row["stage"]}: {row["block"]} -> '
                    f'{row["target"]} has stride {row["stride"]}, the '
                    f'{row["source"]} it replaces {row["old_stride"]}; the '
                    'student would change the feature-map sizes')
    student_macs = macs_by_module(student, probe.shape[1:])
    for row, (target, new_in) in zip(rows, targets):
        block = row['block']
        # one count of each network for all blocks; a target that a later
        # stage replaced is counted alone
        macs = student_macs[block] if student.get_submodule(block) is \
            target else count_macs(target, new_in[1:])
        # the teacher's block against the student's
        row['cost'] = ((count_params(teacher.get_submodule(block)),
                        teacher_macs[block]), (count_params(target), macs))
    return rows


def plan_table(rows: List[dict]) -> str:
    """The rows of :func:`check_plan` as a Markdown table."""
    lines = [
        '| stage | block | source -> target | in -> out | stride | '
        'params | MACs | next block |', '|---' * 8 + '|'
    ]
    for r in rows:
        (p0, m0), (p1, m1) = r['cost']
        width = f'{r["in_channels"]} -> {r["out_channels"]}'
        if r['out_channels'] != r['old_out']:
            width += f' (was {r["old_out"]})'
        lines.append(
            f'| {r["stage"]} | {r["block"]} | {r["source"]} -> '
            f'{r["target"]} | {width} | {r["stride"]} | '
            f'{p0 / 1e3:.1f}K -> {p1 / 1e3:.1f}K | '
            f'{m0 / 1e6:.2f}M -> {m1 / 1e6:.2f}M | {r["next"]} '
            f'({"rebuilt" if r["rebuilt"] else "kept"}) |')
    total = [sum(r['cost'][i][j] for r in rows) for i in (0, 1)
             for j in (0, 1)]
    lines.append(f'| | all recast blocks | | | | {total[0] / 1e3:.1f}K -> '
                 f'{total[2] / 1e3:.1f}K | {total[1] / 1e6:.2f}M -> '
                 f'{total[3] / 1e6:.2f}M | |')
    return '\n'.join(lines)
