# Copyright (c) mmrecast contributors. All rights reserved.
import contextlib
from typing import Dict, Iterator, List, NamedTuple, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.logging import print_log

from mmrecast.registry import MODELS, RECASTERS
from mmrecast.utils.complexity import has_parameters
from mmrecast.utils.errors import ConfigError, refuse_unknown_fields
from ..recasters import (BlockIO, RecastPlan, measured_width, probe_input,
                         probe_teacher, removes_as_identity)
from ..recorders import InputRecorder
from .base_algorithm import BaseAlgorithm

__all__ = ['CandidateLibrary', 'Candidate']


class Candidate(NamedTuple):
    """One entry of the library: ``recaster`` applied to ``block``;
    ``index`` is its place in the block's list (0 = the first recaster).
    A span candidate ``covers`` the next block too: it is trained against
    that block's output and chosen only with that block removed."""
    block: str
    index: int
    recaster: dict
    covers: Optional[str] = None


def _key(block: str) -> str:
    """A module path as a ModuleDict key (which may not contain dots)."""
    return block.replace('.', '/')


@MODELS.register_module()
class CandidateLibrary(BaseAlgorithm):
    """Every candidate target of every searched block, trained at once.

    The plan search (``tools/recast_search.py``) picks one candidate per
    block; this algorithm makes the candidates. Each is trained teacher-fed
    (as ``BlockRecast(mode='parallel')``): on the teacher's input activation
    of its block, against the teacher's output of that block, all from one
    teacher forward per batch. It trains under mmengine's
    ``IterBasedTrainLoop`` like any model, so resume and DDP are the
    runner's.

    Candidates keep their block's output width, so any choice of one
    candidate per block is a valid student; a recaster that changes the
    width is refused at build time. A narrower candidate carries a 1x1
    projection back to the width (``BasicBlockToNarrowConv``), which
    export folds into the next conv.

    A span candidate stands in for its block and the next one, which the
    plan then removes: it is trained against the next block's output, so
    the block after the removed one gets the input it was trained on (a
    candidate trained on its own block's output hands it one block short).
    It is built where the next block has a candidate without parameters
    that keeps the shape (``BlockToShortcut`` of a stride-1 block, an
    identity); the search chooses it only together with that one.

    A library of removals alone (``BlockToShortcut`` on layers that keep
    their width, a transformer's layer dropping) has nothing to train:
    ``tools/recast_search.py`` searches it without ``--checkpoint``, from
    the teacher's weights, and training it is refused.

    Args:
        teacher (dict): Teacher classifier config.
        candidates (Sequence[dict]): ``dict(blocks=PATTERN, recasters=[CFG,
            ...])`` per group of blocks (patterns as in
            :class:`~mmrecast.models.recasters.RecastPlan`); a block takes
            the first group that matches it. Keeping the teacher's block is
            always a choice and needs no entry.
        teacher_checkpoint (str, optional): Teacher weights (weights-only).
        sequence (Sequence[str] | str): The plan's block sequence.
            Defaults to ``'auto'``.
        seed (int): Seed of the candidates' initialisation.
        input_size (Sequence[int]): ``(C, H, W)`` of the inputs: every
            block's widths are measured with a probe forward (candidates
            such as an identity have none to read), and the search times
            students at this size.
        data_preprocessor (dict, optional): Preprocessor config.
        init_cfg (dict, optional): Initialization config.
        fast_teacher (bool): See :class:`BaseAlgorithm`. Defaults to True.
        spans (Sequence[dict]): Span candidates, in groups as
            ``candidates``, of blocks that have candidates. Defaults to
            none.
    """

    def __init__(self,
                 teacher: dict,
                 candidates: Sequence[dict],
                 teacher_checkpoint: Optional[str] = None,
                 sequence='auto',
                 seed: int = 0,
                 input_size: Sequence[int] = (3, 224, 224),
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 fast_teacher: bool = True,
                 spans: Sequence[dict] = ()):
        super().__init__(data_preprocessor, None, init_cfg, fast_teacher)
        self.build_teacher(teacher, teacher_checkpoint)
        self.sequence = sequence
        self.seed = seed
        if input_size is None:  # a recast plan may do without; not this
            raise ConfigError('model.input_size=None: the library measures '
                              'its candidates and the search times them at '
                              'this size; give (C, H, W), e.g. (3, 32, 32)')
        self.input_size = tuple(input_size)
        if not candidates:  # _groups reads the first group's sequence
            raise ConfigError('model.candidates is empty: list dict(blocks='
                              'PATTERN, recasters=[...]) groups')
        found, sequence = self._groups(candidates, 'candidates')
        self.entries = [
            Candidate(block, k, recaster) for block in sequence
            if block in found for k, recaster in enumerate(found[block])
        ]
        self.blocks = list(dict.fromkeys(c.block for c in self.entries))
        self.candidates = nn.ModuleDict(
            {_key(b): nn.ModuleList() for b in self.blocks})
        measured = probe_teacher(self.teacher, self.blocks,
                                 probe_input(self.input_size))
        self._build_targets(self.entries, measured)
        self._removals: Dict[str, int] = {}
        if spans:
            self._add_spans(self._groups(spans, 'spans')[0],
                            dict(zip(sequence, sequence[1:])), measured)
        # a candidate without parameters (an identity) has nothing to learn
        self.trained = [
            c for c in self.entries
            if has_parameters(self.target(c.block, c.index))
        ]
        self.teacher_in = self.record_teacher(
            {b: b for b in self.blocks}, 'candidates', InputRecorder)
        self.teacher_out = self.record_teacher({b: b for b in self.blocks},
                                               'candidates')

    def _groups(self, groups: Sequence[dict],
                field: str) -> Tuple[Dict[str, List[dict]], List[str]]:
        """Block -> the recaster configs of the first of ``groups`` (the
        config's ``model.<field>``) that matches it; and the network's
        block sequence, in forward order."""
        if not isinstance(groups, (list, tuple)) or not all(
                isinstance(group, dict) for group in groups):
            raise ConfigError(f'model.{field}={groups!r}: give a list of '
                              'dict(blocks=PATTERN, recasters=[...]) groups')
        plans = []
        for i, group in enumerate(groups):
            recasters = group.get('recasters')
            if 'blocks' not in group or not recasters:
                raise ConfigError(f'model.{field}[{i}] needs blocks=PATTERN '
                                  'and recasters=[dict(type=...), ...]')
            refuse_unknown_fields(
                group, ('blocks', 'recasters'), f'model.{field}[{i}]',
                'not a field of a group; write blocks and recasters')
            plans.append(
                (RecastPlan([dict(blocks=group['blocks'],
                                  recaster=recasters[0])], self.sequence,
                            where=f'model.{field}[{i}].blocks'), recasters))
        found: Dict[str, List[dict]] = {}
        for i, (plan, recasters) in enumerate(plans):
            blocks = [step.block for step in plan.expand(self.teacher)]
            if all(block in found for block in blocks):
                raise ConfigError(
                    f'model.{field}[{i}].blocks={groups[i]["blocks"]!r}: '
                    'every block it matches takes an earlier group (a block '
                    'takes the first that matches); put it first or drop it')
            for block in blocks:
                found.setdefault(block, [dict(r) for r in recasters])
        return found, plans[0][0].block_sequence(self.teacher)

    def _build_targets(self, entries: Sequence[Candidate],
                       measured: Dict[str, Tuple[BlockIO, tuple]],
                       first: int = 0) -> None:
        """Build ``entries``' targets; the ``n``-th draws the seed stream
        ``first + n`` (span candidates, added last, leave the others'
        streams as they were)."""
        for number, entry in enumerate(entries, first):
            source = self.teacher.get_submodule(entry.block)
            io, in_shape = measured[entry.block]
            recaster = RECASTERS.build(entry.recaster)
            recaster.check_fits(entry.block, in_shape, io, 'model.candidates')
            target = recaster.build_target(
                source, RecastPlan.generator(self.seed, number), io)
            width = measured_width(target, in_shape)
            if width != io.out_channels:
                raise ConfigError(
                    f'model.candidates: {recaster!r} turns {entry.block} '
                    f'{io.out_channels} -> {width} channels; library '
                    'candidates must keep the output width (e.g. '
                    'BasicBlockSlim or BasicBlockToNarrowConv instead of '
                    'BasicBlockReduce)')
            self.candidates[_key(entry.block)].append(target)

    def _add_spans(self, spans: Dict[str, List[dict]], after: Dict[str, str],
                   measured: Dict[str, Tuple[BlockIO, tuple]]) -> None:
        """Span candidates for the blocks of ``spans`` whose next block can
        be removed as an identity; the others are logged and get none."""
        outside = [b for b in spans if b not in self.blocks]
        if outside:
            raise ConfigError(f'model.spans: {outside[0]} has no candidates '
                              '(model.candidates); a span stands in for a '
                              'searched block')
        added, skipped = [], []
        for block, recasters in spans.items():
            removal = self._identity(after.get(block), measured)
            if removal is None:
                skipped.append(block)
                continue
            self._removals[after[block]] = removal
            first = len(self.options(block))
            entries = [
                Candidate(block, first + k, recaster, covers=after[block])
                for k, recaster in enumerate(recasters)
            ]
            self._build_targets(entries, measured, len(self.entries))
            self.entries += entries
            added.append(f'{block} + {after[block]}')
        if not added:
            raise ConfigError(
                'model.spans: no block with spans is followed by a block '
                'the library can remove as an identity; give the next '
                'blocks a BlockToShortcut candidate, or drop model.spans')
        order = {b: n for n, b in enumerate(self.blocks)}
        self.entries.sort(key=lambda c: (order[c.block], c.index))
        none = (f'; none for {", ".join(skipped)} (no next block that the '
                'library removes as an identity)' if skipped else '')
        print_log(f'span candidates for {", ".join(added)}{none}',
                  logger='current')

    def _identity(self, block: Optional[str],
                  measured: Dict[str, Tuple[BlockIO, tuple]]
                  ) -> Optional[int]:
        """The index of ``block``'s candidate that removes it as an
        identity (no parameters, the shape kept), or None."""
        if block not in measured:
            return None
        return next((c.index for c in self.options(block)
                     if c.covers is None and removes_as_identity(
                         measured[block][0], self.target(block, c.index))),
                    None)

    @classmethod
    def student_config(cls, model_cfg: dict) -> dict:
        """A library has no one student to export: a plan chooses it."""
        raise ConfigError(
            "model.type='CandidateLibrary' holds every candidate, not one "
            'student: choose a plan with tools/recast_search.py, then '
            'export the run of its plan_*/finetune.py')

    def requirements(self) -> Dict[Tuple[str, int], Tuple[str, int]]:
        """Span candidate ``(block, index)`` -> the option that removes the
        block it covers, which the plan must take with it."""
        return {(c.block, c.index): (c.covers, self._removals[c.covers])
                for c in self.entries if c.covers is not None}

    def target(self, block: str, index: int) -> nn.Module:
        """The trained candidate ``index`` of ``block``."""
        return self.candidates[_key(block)][index]

    def options(self, block: str) -> List[Candidate]:
        """The candidates of ``block``, in order."""
        return [c for c in self.entries if c.block == block]

    @contextlib.contextmanager
    def swapped(self, choice: Dict[str, int]) -> Iterator[nn.Module]:
        """The teacher with ``choice`` (block -> candidate index) swapped in
        through forward hooks; yields the teacher, hooks removed after."""
        handles = []
        for block, index in choice.items():
            target = self.target(block, index)

            def hook(module, args, output, target=target):
                return target(args[0])

            handles.append(
                self.teacher.get_submodule(block).register_forward_hook(hook))
        try:
            yield self.teacher
        finally:
            for handle in handles:
                handle.remove()

    def loss(self, inputs: torch.Tensor,
             data_samples=None) -> Dict[str, torch.Tensor]:
        """Mean over the trained candidates of the MSE to the teacher's
        block output (a span candidate's: the next block's), each fed the
        teacher's block input."""
        if not self.trained:
            raise ConfigError(
                'model.candidates: no candidate has parameters to train '
                '(removals alone), so the library needs no training; search '
                'it from the teacher without --checkpoint: '
                'tools/recast_search.py CONFIG')
        with torch.no_grad():
            self.teacher_out.run(
                self.teacher_runner(),
                inputs,
                mode='tensor',
                stop_after=self.blocks)
        losses = [
            F.mse_loss(self.target(c.block, c.index)(self.teacher_in[c.block]),
                       self.teacher_out[c.covers or c.block])
            for c in self.trained
        ]
        return dict(loss_library=sum(losses) / len(losses))

    def forward(self, inputs: torch.Tensor, data_samples=None,
                mode: str = 'tensor'):
        """``'loss'``: the library loss. A library is no classifier of its
        own: a test or export of it would silently be the teacher's, so
        the other modes are refused."""
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        raise ConfigError(
            f"model.type='CandidateLibrary' has no {mode!r} forward: it "
            'holds every candidate, not one student; test or export the '
            'fine-tuned student of a plan (tools/recast_search.py)')
