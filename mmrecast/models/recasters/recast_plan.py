# Copyright (c) mmrecast contributors. All rights reserved.
import copy
import fnmatch
import itertools
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn

from mmrecast.registry import RECASTERS
from mmrecast.utils.complexity import has_parameters
from mmrecast.utils.errors import (ConfigError, first_line,
                                   refuse_unknown_fields)
from .block_io import BlockIO, block_io, feature_width, probe_io
from .init import reset_block
from .rebuild import rebuild_for_input

__all__ = [
    'RecastPlan', 'RecastStep', 'probe_input', 'measured_width',
    'target_width', 'removes_as_identity'
]


class RecastStep(NamedTuple):
    """One expanded step: recast ``block`` with ``recaster``; ``next`` is the
    block after it in the sequence (rebuilt, and matched by the loss).
    ``covers`` is ``next`` for a target that also stands in for the next
    block, which the plan removes (teacher-fed modes train it against that
    block's output); None otherwise."""
    index: int
    block: str
    next: str
    recaster: object
    covers: Optional[str] = None


@torch.no_grad()
def module_device(module: nn.Module) -> torch.device:
    """Where ``module``'s first parameter or buffer lives (the CPU if it
    has none)."""
    for tensor in itertools.chain(module.parameters(), module.buffers()):
        return tensor.device
    return torch.device('cpu')


def _on_cpu(module: nn.Module) -> nn.Module:
    """``module`` itself on the CPU, else a CPU copy of it (the original
    stays where it is)."""
    if module_device(module).type == 'cpu':
        return module
    return copy.deepcopy(module).cpu()


def measured_width(block: nn.Module, in_shape: tuple) -> int:
    """Output channels of a new block for inputs of ``in_shape``."""
    was_training = block.training
    block.eval()
    try:
        output = block(torch.zeros(in_shape, device=module_device(block)))
    finally:
        block.train(was_training)
    if isinstance(output, (tuple, list)):
        output = output[-1]
    return feature_width(output.shape)


def target_width(target: nn.Module,
                 io: BlockIO,
                 in_shape: Optional[tuple] = None) -> int:
    """Output channels of ``target``, built for a block of ``io``: measured
    on inputs of ``in_shape`` when given, else read from its layers; an
    ``nn.Identity`` (a block removed) passes its block's input width."""
    if in_shape is not None:
        return measured_width(target, in_shape)
    if isinstance(target, nn.Identity):
        return io.in_channels
    return block_io(target).out_channels


def removes_as_identity(io: BlockIO, target: nn.Module) -> bool:
    """Whether ``target``, installed for a block of ``io``, removes it as an
    identity: no parameters, and the block keeps its shape (equal widths,
    stride 1). Only such a removal can be covered by the span before it."""
    return (io.in_channels == io.out_channels and io.stride == 1
            and not has_parameters(target))


def probe_input(input_size: Optional[Sequence[int]]
                ) -> Optional[torch.Tensor]:
    """The probe batch for ``input_size`` (C, H, W): two zero images, or
    None (widths are then read from the blocks)."""
    if input_size is None:
        return None
    if not isinstance(input_size, (list, tuple)) or len(input_size) != 3 \
            or not all(isinstance(n, int) and not isinstance(n, bool)
                       and n > 0 for n in input_size):
        raise ConfigError(f'model.input_size={input_size!r}: give (C, H, W) '
                          'of the input images, e.g. (3, 32, 32)')
    return torch.zeros(2, *input_size)


def probe_teacher(teacher: nn.Module, paths: Sequence[str],
                  probe: torch.Tensor) -> Dict[str, Tuple[BlockIO, tuple]]:
    """:func:`probe_io` of the teacher on the ``input_size`` probe; a size
    it cannot take (a ViT built for another image size) is refused in one
    line naming ``model.input_size``."""
    try:
        return probe_io(teacher, paths, probe)
    except Exception as error:  # noqa: B902 (any failure, one line)
        raise ConfigError(
            f'model.input_size={tuple(probe.shape[1:])}: the teacher does '
            f'not run on images of this size ({type(error).__name__}: '
            f'{first_line(error, 200)}); give the (C, H, W) of the images '
            'it takes') from None


def _texts(pattern) -> Optional[List[str]]:
    """The patterns of a ``blocks`` value: one pattern, or a non-empty
    list of them; None for anything else."""
    texts = [pattern] if isinstance(pattern, str) else pattern
    if isinstance(texts, (list, tuple)) and texts and all(
            isinstance(t, str) and t for t in texts):
        return list(texts)
    return None


class _BlockPattern:
    """Glob over module paths, segment by segment: ``*``, ``?`` and
    ``[seq]`` as in :mod:`fnmatch`, within one path segment
    (``backbone.layers.[13]``); a list matches a path that any of its
    patterns matches."""

    def __init__(self, pattern: Union[str, Sequence[str]]):
        self.alternatives = [t.split('.') for t in _texts(pattern)]

    def match(self, path: str) -> bool:
        parts = path.split('.')
        return any(
            len(glob) == len(parts) and all(
                fnmatch.fnmatchcase(part, g) for part, g in zip(parts, glob))
            for glob in self.alternatives)


class RecastPlan:
    """Which blocks to recast, in which order, into what: data, not code.

    Args:
        sequence (Sequence[str] | str): Every block of the network in
            forward order, as module paths or patterns (``*``, ``?`` and
            ``[seq]`` match within one path segment, expanded in module
            order), ending with the classifier layer. ``'auto'``: the
            backbone's ``block_names()`` (mmrecast backbones) followed by
            ``head.fc``.
        steps (Sequence[dict]): What to recast: each ``dict(blocks=PATTERN,
            recaster=CFG)`` (or ``block=PATH``; a list of patterns matches
            what any of them does) selects blocks of the sequence; a block
            takes the first step that matches it. Steps run in sequence
            order. ``covers=PATH`` (the next block, which
            the plan removes) makes the target a span: the teacher-fed
            modes train it against that block's output, as the plan
            search's library trains its span candidates.
        where (str): The config field the steps came from, named when a
            pattern matches no block. Defaults to ``'plan.steps'``.

    Example:
        >>> plan = RecastPlan(
        ...     sequence='auto',
        ...     steps=[dict(blocks='backbone.layer*.*',
        ...                 recaster=dict(type='BasicBlockToConv'))])
    """

    def __init__(self,
                 steps: Sequence[dict],
                 sequence: Union[str, Sequence[str]] = 'auto',
                 where: str = 'plan.steps'):
        if not steps:
            raise ConfigError('plan.steps is empty: name the blocks to '
                              "recast, e.g. dict(blocks='backbone.layer*.*',"
                              " recaster=dict(type='BasicBlockToConv'))")
        if isinstance(sequence, str) and sequence != 'auto':
            raise ConfigError(f'plan.sequence={sequence!r}: use \'auto\' or '
                              "a list of block patterns, e.g. "
                              "['backbone.module.layer*.*']")
        self.sequence_spec = sequence
        self.where = where
        self.step_specs: List[dict] = []
        for i, spec in enumerate(steps):
            spec = dict(spec)
            if 'blocks' in spec and 'block' in spec:
                # --cfg-options steps.0.block=... adds a key to the step
                raise ConfigError(
                    f"plan.steps[{i}]: block={spec['block']!r} and "
                    f"blocks={spec['blocks']!r}; give one of them "
                    '(--cfg-options adds a key to a step: set the one the '
                    "config's step has)")
            pattern = spec.pop('blocks') if 'blocks' in spec else spec.pop(
                'block', None)
            if pattern is None or 'recaster' not in spec:
                raise ConfigError(f'plan.steps[{i}] needs blocks=PATTERN (or '
                                  'block=PATH) and recaster=dict(type=...)')
            if _texts(pattern) is None:
                field = f'plan.steps[{i}].blocks' if where == 'plan.steps' \
                    else where
                raise ConfigError(
                    f'{field}={pattern!r}: give a module path pattern '
                    "('backbone.layer1.*') or a list of them")
            refuse_unknown_fields(
                spec, ('recaster', 'covers'), f'plan.steps[{i}]',
                'not a field of a step; write blocks (or block), recaster '
                'and, for a span, covers')
            if spec.get('covers') is not None and (
                    not isinstance(pattern, str)
                    or any(c in pattern for c in '*?[')):
                raise ConfigError(f'plan.steps[{i}].covers: a span is one '
                                  'block; name it with block=PATH, not the '
                                  f'pattern {pattern!r}')
            self.step_specs.append(
                dict(pattern=_BlockPattern(pattern), text=pattern,
                     recaster=spec['recaster'], covers=spec.get('covers')))

    def block_sequence(self, model: nn.Module) -> List[str]:
        """All block paths of ``model`` in forward order."""
        if self.sequence_spec == 'auto':
            backbone = getattr(model, 'backbone', None)
            if backbone is None or not hasattr(backbone, 'block_names'):
                raise ConfigError(
                     "plan.sequence='auto' needs an mmrecast backbone with "
                     'block_names(); list the blocks instead, e.g. '
                     "sequence=['backbone.module.layer*.*', "
                     "'backbone.module.fc']")
            return [f'backbone.{n}' for n in backbone.block_names()] + \
                ['head.fc']
        names = [name for name, _ in model.named_modules() if name]
        sequence: List[str] = []
        for text in self.sequence_spec:
            pattern = _BlockPattern(text)
            found = [n for n in names if pattern.match(n)]
            if not found:
                raise ConfigError(f'plan.sequence: {text!r} matches no module '
                                  f'of {type(model).__name__}')
            sequence += [n for n in found if n not in sequence]
        return sequence

    def expand(self, model: nn.Module) -> List[RecastStep]:
        """The concrete steps for ``model``, in forward order."""
        sequence = self.block_sequence(model)
        steps: List[RecastStep] = []
        used = set()
        for pos, path in enumerate(sequence[:-1]):
            for n, spec in enumerate(self.step_specs):
                if spec['pattern'].match(path):
                    recaster = RECASTERS.build(spec['recaster'])
                    steps.append(
                        RecastStep(len(steps), path, sequence[pos + 1],
                                   recaster, spec['covers']))
                    used.add(n)
                    break
        # a step that recasts nothing is a typo or is shadowed by an
        # earlier one: refused rather than skipped in silence
        unused = [s['text'] for n, s in enumerate(self.step_specs)
                  if n not in used]
        if unused:
            taken = ' (or only blocks an earlier step takes)' if steps else ''
            raise ConfigError(
                f'{self.where} {unused} match no block{taken} of the sequence '
                f'{sequence[:4]}...; fix the pattern (each * matches one '
                'segment of a module path)')
        self._check_spans(steps)
        return steps

    def _check_spans(self, steps: List[RecastStep]) -> None:
        """A span covers the block after its own, which the plan removes
        with a step of its own (the mode checks that it is an identity)."""
        recast = {s.block for s in steps}
        for step in (s for s in steps if s.covers is not None):
            field = f'{self.where} covers={step.covers!r} (of {step.block})'
            if step.covers != step.next:
                raise ConfigError(f'{field}: a span covers the block right '
                                  f'after its own; write covers={step.next!r}')
            if step.covers not in recast:
                raise ConfigError(
                    f'{field}: the plan must remove {step.covers} too; add '
                    f"dict(block={step.covers!r}, recaster=dict(type="
                    "'BlockToShortcut'))")

    @staticmethod
    def generator(seed: int, index: int) -> torch.Generator:
        """The random stream of step ``index``: fixed by (seed, index)."""
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise ConfigError(f'model.seed={seed!r}: give an integer')
        return torch.Generator().manual_seed(seed * 100_003 + index)

    @staticmethod
    def apply_step(model: nn.Module,
                   step: RecastStep,
                   seed: int,
                   rebuild_next: bool = True,
                   probe: Optional[torch.Tensor] = None) -> None:
        """Install the target of ``step`` and, unless shapes allow keeping
        it and ``rebuild_next`` is False, a fresh next block.

        Widths and strides come from a forward of ``probe`` when given
        (:func:`probe_io`: any module type), else from the blocks'
        attributes and readers (:func:`block_io`).
        """
        generator = RecastPlan.generator(seed, step.index)
        source = model.get_submodule(step.block)
        next_block = model.get_submodule(step.next)
        in_shape = None  # measured where a probe is given
        if probe is not None:
            measured = probe_io(model, [step.block, step.next], probe)
            (source_io, in_shape), (next_io, _) = (measured[step.block],
                                                   measured[step.next])
        else:
            source_io, next_io = block_io(source), block_io(next_block)
        # new blocks are built and drawn on the CPU, where the generator
        # is, and then moved: the same weights on every device
        target = step.recaster.build_target(_on_cpu(source), generator,
                                            source_io)
        target_out = target_width(target, source_io, in_shape)
        model.set_submodule(step.block, target.to(module_device(source)))
        old_width, next_in = source_io.out_channels, next_io.in_channels
        # an FC after a flatten takes C x H x W inputs: keep H x W
        spatial = next_in // old_width if next_in % old_width == 0 else 1
        new_in = target_out * spatial
        if rebuild_next or next_in != new_in:
            # the same input width needs no rebuild rule: a fresh copy
            template = _on_cpu(next_block)
            fresh = copy.deepcopy(template) if next_in == new_in \
                else rebuild_for_input(template, new_in)
            model.set_submodule(
                step.next,
                reset_block(fresh, generator).to(module_device(next_block)))

    def apply(self,
              model: nn.Module,
              seed: int = 0,
              upto: Optional[int] = None,
              rebuild_next: bool = True,
              probe: Optional[torch.Tensor] = None) -> nn.Module:
        """Turn ``model`` into the student after ``upto`` steps (all by
        default), structurally; weights are fresh where blocks changed."""
        steps = self.expand(model)
        for step in steps[:len(steps) if upto is None else upto]:
            self.apply_step(model, step, seed, rebuild_next, probe)
        return model

    def describe(self, model: nn.Module) -> List[Dict[str, str]]:
        """Human-readable expansion (for logs)."""
        return [
            dict(block=s.block, next=s.next, recaster=repr(s.recaster))
            for s in self.expand(model)
        ]
