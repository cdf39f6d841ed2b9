# Copyright (c) mmrecast contributors. All rights reserved.
"""How well each library candidate stands in for its block, on held-out
images."""
import itertools
from typing import (Dict, Iterable, Iterator, List, Mapping, Optional,
                    Sequence, Tuple)

import torch
import torch.nn.functional as F

from mmrecast.models.algorithms import Candidate, CandidateLibrary
from mmrecast.utils.errors import print_warning

__all__ = ['score_candidates', 'score_plans', 'pair_scores', 'search_scores',
           'SCORES']

#: score name -> (field of a candidate's row, sign): the search maximises
#: ``sign * row[field]`` summed over the chosen candidates
SCORES = dict(kl=('kl', -1.0), top1=('top1_drop', -1.0),
              mse=('rel_mse', -1.0))


def search_scores(rows: Sequence[dict], score: str = 'kl') -> Dict:
    """``(block, index)`` -> what the search maximises for ``score`` (a
    key of :data:`SCORES`), from the rows of :func:`score_candidates`.

    A span candidate's row measures it with the block it covers removed;
    the search takes that removal with it, so the span is given the pair's
    value less the removal's own, and the two sum to the pair's.
    """
    field, sign = SCORES[score]
    scores = {(r['block'], r['index']): sign * r[field] for r in rows}
    for r in rows:
        if r.get('requires'):
            scores[(r['block'], r['index'])] -= scores[tuple(r['requires'])]
    return scores


@torch.no_grad()
def score_candidates(library: CandidateLibrary,
                     batches: Iterable[dict],
                     max_batches: Optional[int] = None
                     ) -> Tuple[float, List[dict]]:
    """Each candidate on held-out images, in two ways.

    * ``rel_mse``: MSE of its output against the teacher's block output,
      fed the teacher's block input, divided by the variance of that output
      (0 = exact, 1 = as good as a constant).
    * The teacher with only this block swapped: ``kl``, the mean KL
      divergence of its class distribution from the teacher's, and
      ``top1_drop``, the teacher's top-1 minus its own (points).

    A span candidate is measured as it is used: against the output of the
    block it covers, swapped together with that block's removal (its row's
    ``requires``).

    Args:
        library (CandidateLibrary): The trained library (eval mode).
        batches (Iterable[dict]): Dataloader batches of held-out images
            (``inputs`` and labelled ``data_samples``).
        max_batches (int, optional): Stop after this many batches.

    Returns:
        tuple: The teacher's top-1 (%) and one row per candidate (block,
        index, recaster, rel_mse, kl, top1, top1_drop, and a span
        candidate's ``requires``), in library order.
    """
    library.eval()
    entries = library.entries
    requires = library.requirements()
    sq_err = torch.zeros(len(entries), dtype=torch.float64)
    agree = torch.zeros(len(entries), 2, dtype=torch.float64)  # kl, correct
    out_sum: Dict[str, torch.Tensor] = {}
    out_sq: Dict[str, torch.Tensor] = {}
    elements: Dict[str, int] = {}
    teacher_correct, seen = 0.0, 0
    for inputs, labels in _held_out(library, batches, max_batches):
        logits = library.teacher_out.run(
            library.teacher_runner(), inputs, mode='tensor')
        log_p = F.log_softmax(logits, 1)
        teacher_correct += (logits.argmax(1) == labels).sum().item()
        seen += len(labels)
        for block in library.blocks:
            out = library.teacher_out[block].double()
            out_sum[block] = out_sum.get(block, 0) + out.sum()
            out_sq[block] = out_sq.get(block, 0) + (out * out).sum()
            elements[block] = elements.get(block, 0) + out.numel()
        block_in = {b: library.teacher_in[b] for b in library.blocks}
        block_out = {b: library.teacher_out[b] for b in library.blocks}
        for n, entry in enumerate(entries):
            target = library.target(entry.block, entry.index)
            sq_err[n] += F.mse_loss(
                target(block_in[entry.block]),
                block_out[entry.covers or entry.block],
                reduction='sum').double()
            agree[n] += _agreement(library, _swaps(entry, requires), inputs,
                                   log_p, labels)
    if not seen:
        raise ValueError('score_candidates: no held-out images')
    teacher_top1 = 100.0 * teacher_correct / seen
    chance = 100.0 / logits.shape[1]
    if teacher_top1 < 2 * chance:
        # an untrained teacher scores every candidate alike (its outputs
        # barely depend on any block), and the search then picks at random
        print_warning(
            f'the teacher scores {teacher_top1:.1f} % on the held-out '
            f'images, near chance ({chance:.3g} % for {logits.shape[1]} '
            'classes): are its weights loaded (model.teacher_checkpoint, '
            'or its backbone\'s checkpoint) and the labels right? Its '
            'scores cannot rank the candidates')
    rows = []
    for n, entry in enumerate(entries):
        matched = entry.covers or entry.block
        count = elements[matched]
        mean = out_sum[matched] / count
        variance = out_sq[matched] / count - mean**2
        top1 = 100.0 * agree[n, 1].item() / seen
        row = dict(block=entry.block, index=entry.index,
                   recaster=_label(entry),
                   rel_mse=(sq_err[n] / count / variance).item(),
                   kl=agree[n, 0].item() / seen, top1=top1,
                   top1_drop=teacher_top1 - top1)
        if entry.covers:
            row['requires'] = list(requires[(entry.block, entry.index)])
        rows.append(row)
    return teacher_top1, rows


@torch.no_grad()
def score_plans(library: CandidateLibrary,
                choices: Sequence[Dict[str, int]],
                batches: Iterable[dict],
                max_batches: Optional[int] = None) -> List[dict]:
    """Each whole plan on held-out images: the teacher with all of a
    choice's blocks swapped at once.

    The per-candidate scores add up the damage of single swaps; this
    measures it jointly (errors of consecutive replacements compound),
    before any fine-tuning.

    Args:
        library (CandidateLibrary): The trained library (eval mode).
        choices (Sequence[Dict[str, int]]): Plans, block -> candidate index.
        batches (Iterable[dict]): Labelled held-out dataloader batches.
        max_batches (int, optional): Stop after this many batches.

    Returns:
        list: Per plan, ``kl`` (mean KL divergence from the teacher's class
        distribution) and ``top1`` (%).
    """
    library.eval()
    totals = torch.zeros(len(choices), 2, dtype=torch.float64)
    seen = 0
    for inputs, labels in _held_out(library, batches, max_batches):
        log_p = F.log_softmax(library.teacher(inputs, mode='tensor'), 1)
        seen += len(labels)
        for n, choice in enumerate(choices):
            totals[n] += _agreement(library, choice, inputs, log_p, labels)
    if not seen:
        raise ValueError('score_plans: no held-out images')
    return [dict(kl=kl.item() / seen, top1=100.0 * correct.item() / seen)
            for kl, correct in totals]


def pair_scores(library: CandidateLibrary,
                pairs: Sequence[tuple],
                scores: Mapping[Tuple[str, int], float],
                score: str,
                teacher_top1: float,
                batches: Iterable[dict],
                max_batches: Optional[int] = None) -> Dict[tuple, float]:
    """What taking each pair of candidates together adds to their two
    single-swap scores, for pairs meant to run together (a projection
    folded into the next conv: :func:`~mmrecast.search.folding_pairs`).

    The pair is scored swapped together (:func:`score_plans`), as the
    ``score`` of :data:`SCORES` (``mse`` is a block's own and has no pair
    value: no terms); the term is that minus ``scores`` of its two
    options, so a plan's summed score counts the pair as measured.
    """
    field, sign = SCORES[score]
    if field == 'rel_mse' or not pairs:
        return {}
    joint = score_plans(library, [dict(pair) for pair in pairs], batches,
                        max_batches)
    return {
        pair: sign * dict(row, top1_drop=teacher_top1 - row['top1'])[field] -
        scores[pair[0]] - scores[pair[1]]
        for pair, row in zip(pairs, joint)
    }


def _held_out(library: CandidateLibrary, batches: Iterable[dict],
              max_batches: Optional[int]
              ) -> Iterator[Tuple[torch.Tensor, torch.Tensor]]:
    """Preprocessed images and labels of the first ``max_batches``."""
    for batch in itertools.islice(batches, max_batches):
        data = library.data_preprocessor(batch, False)
        yield data['inputs'], torch.cat(
            [s.gt_label for s in data['data_samples']])


def _agreement(library: CandidateLibrary, choice: Dict[str, int],
               inputs: torch.Tensor, log_p: torch.Tensor,
               labels: torch.Tensor) -> torch.Tensor:
    """Summed KL from the teacher (``log_p``) and correct predictions of
    the teacher with ``choice`` swapped, on one batch."""
    with library.swapped(choice) as swapped:
        own = swapped(inputs, mode='tensor')
    kl = F.kl_div(F.log_softmax(own, 1), log_p, log_target=True,
                  reduction='sum')
    correct = (own.argmax(1) == labels).sum()
    return torch.stack([kl.double(), correct.double()])


def _swaps(entry: Candidate,
           requires: Mapping[Tuple[str, int], Tuple[str, int]]
           ) -> Dict[str, int]:
    """What is swapped to score ``entry``: it, and for a span candidate
    the removal of the block it covers."""
    option = (entry.block, entry.index)
    return dict([option, *([requires[option]] if option in requires else [])])


def _label(entry: Candidate) -> str:
    args = ', '.join(f'{k}={v}' for k, v in entry.recaster.items()
                     if k != 'type')
    span = f' over {entry.covers}' if entry.covers else ''
    return f'{entry.recaster["type"]}({args}){span}'
