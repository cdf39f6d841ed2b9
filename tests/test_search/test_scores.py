# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
import torch
import torch.nn.functional as F
from mmpretrain.structures import DataSample

from mmrecast.search import (build_student, pair_scores, score_candidates,
                             score_plans)
from tests.helpers import candidate_library


def _batches(n: int = 2, size: int = 8):
    g = torch.Generator().manual_seed(0)
    return [
        dict(inputs=[torch.randint(0, 256, (3, 32, 32), dtype=torch.uint8,
                                   generator=g) for _ in range(size)],
             data_samples=[DataSample().set_gt_label(k % 10)
                           for k in range(size)]) for _ in range(n)
    ]


#: normalised inputs keep an untrained network's softmax from saturating
NORMALISE = dict(mean=[125.3, 123.0, 113.9], std=[63.0, 62.1, 66.7])


def test_an_exact_stand_in_scores_zero_and_others_do_not():
    library = candidate_library(
        blocks='backbone.layer2.1',
        recasters=[dict(type='BasicBlockSlim', ratio=1.0),
                   dict(type='BasicBlockToConv')],
        data_preprocessor=NORMALISE)
    exact = library.target('backbone.layer2.1', 0)
    exact.load_state_dict(
        library.teacher.get_submodule('backbone.layer2.1').state_dict())
    teacher_top1, rows = score_candidates(library, _batches())
    same, conv = rows
    assert (same['block'], same['index'], conv['index']) == (
        'backbone.layer2.1', 0, 1)
    assert same['recaster'] == 'BasicBlockSlim(ratio=1.0)'
    assert same['rel_mse'] == pytest.approx(0, abs=1e-10)
    # (the teacher's own pass runs on its BN-folded twin: rounding only)
    assert same['kl'] == pytest.approx(0, abs=1e-6)
    assert same['top1_drop'] == 0 and same['top1'] == teacher_top1
    # an untrained conv is about as far off as a constant, and the
    # teacher's predictions move
    assert conv['rel_mse'] > 0.5 and conv['kl'] > 1e-4


def test_max_batches_limits_the_images():
    library = candidate_library(blocks='backbone.layer3.2')
    _, rows = score_candidates(library, _batches(3), max_batches=1)
    assert len(rows) == 3
    with pytest.raises(ValueError, match='no held-out images'):
        score_candidates(library, [], None)


def test_a_teacher_near_chance_is_warned_of(capsys):
    library = candidate_library(blocks='backbone.layer3.2')
    batches = _batches()
    top1, _ = score_candidates(library, batches)
    assert top1 < 20
    assert ('warning: the teacher scores '
            f'{top1:.1f} % on the held-out images, near chance (10 % for 10 '
            'classes)') in capsys.readouterr().err
    # labelled with its own predictions, it scores 100 %: no warning
    with torch.no_grad():
        for batch in batches:
            inputs = library.data_preprocessor(batch)['inputs']
            labels = library.teacher(inputs, mode='tensor').argmax(1)
            batch['data_samples'] = [DataSample().set_gt_label(int(k))
                                     for k in labels]
    assert score_candidates(library, batches)[0] == 100
    assert 'warning' not in capsys.readouterr().err


def test_a_plan_is_scored_with_all_its_blocks_swapped_at_once():
    torch.manual_seed(0)  # untrained weights: no near-tie of two logits
    library = candidate_library(
        blocks='backbone.layer3.*',
        recasters=[dict(type='BasicBlockSlim', ratio=1.0),
                   dict(type='BasicBlockToConv')],
        data_preprocessor=NORMALISE)
    for block in library.blocks:  # candidate 0: an exact copy
        library.target(block, 0).load_state_dict(
            library.teacher.get_submodule(block).state_dict())
    batches = _batches()
    _, rows = score_candidates(library, batches)
    single = {(r['block'], r['index']): r for r in rows}
    exact, one, both = score_plans(library, [
        {b: 0 for b in library.blocks}, {'backbone.layer3.2': 1},
        {b: 1 for b in library.blocks}
    ], batches)
    assert exact['kl'] == pytest.approx(0, abs=1e-6)
    # one swap scores as the candidate alone; two are measured together,
    # not added up
    assert one['kl'] == pytest.approx(
        single[('backbone.layer3.2', 1)]['kl'], rel=1e-6)
    assert one['top1'] == single[('backbone.layer3.2', 1)]['top1']
    summed = sum(single[(b, 1)]['kl'] for b in library.blocks)
    assert both['kl'] > 0 and both['kl'] != pytest.approx(summed, rel=1e-3)
    # ... as the student built from the plan predicts
    student = build_student(library, {b: 1 for b in library.blocks})
    kl = correct = 0.0
    for batch in batches:
        data = library.data_preprocessor(batch, False)
        with torch.no_grad():
            own = student(data['inputs'], mode='tensor')
            ref = library.teacher(data['inputs'], mode='tensor')
        kl += F.kl_div(F.log_softmax(own, 1), F.log_softmax(ref, 1),
                       log_target=True, reduction='sum').item()
        correct += sum(int(p == s.gt_label) for p, s in zip(
            own.argmax(1), data['data_samples']))
    images = sum(len(b['inputs']) for b in batches)
    assert both['kl'] == pytest.approx(kl / images, rel=1e-4)
    assert both['top1'] == pytest.approx(100 * correct / images)


def test_a_pair_term_makes_the_summed_score_the_pair_measured_together():
    torch.manual_seed(0)
    library = candidate_library(
        blocks='backbone.layer3.*',
        recasters=[dict(type='BasicBlockToNarrowConv', ratio=0.5),
                   dict(type='BasicBlockToConv')],
        data_preprocessor=NORMALISE)
    batches = _batches()
    teacher_top1, rows = score_candidates(library, batches)
    # a folding pair, and one whose joint swap moves the top-1 (on these
    # few images the first does not, so a wrong sign would not show)
    pairs = [(('backbone.layer3.0', 0), ('backbone.layer3.1', 1)),
             (('backbone.layer3.0', 0), ('backbone.layer3.2', 0))]
    for score, field in (('kl', 'kl'), ('top1', 'top1_drop')):
        singles = {(r['block'], r['index']): -r[field] for r in rows}
        terms = pair_scores(library, pairs, singles, score, teacher_top1,
                            batches)
        for pair, together in zip(pairs, score_plans(
                library, [dict(p) for p in pairs], batches)):
            measured = together['kl'] if score == 'kl' else \
                teacher_top1 - together['top1']
            assert measured != 0 or pair == pairs[0]
            assert singles[pair[0]] + singles[pair[1]] + terms[pair] == \
                pytest.approx(-measured)
    pair = pairs[0]
    assert pair_scores(library, [pair], singles, 'mse', teacher_top1,
                       batches) == {}


def test_a_span_is_scored_with_the_block_it_covers_removed():
    from mmrecast.search import search_scores
    torch.manual_seed(0)
    library = candidate_library(
        blocks='backbone.layer3.*',
        recasters=[dict(type='BasicBlockToConv'),
                   dict(type='BlockToShortcut')],
        spans=[dict(type='BasicBlockToConv')],
        data_preprocessor=NORMALISE)
    batches = _batches()
    teacher_top1, rows = score_candidates(library, batches)
    (span, ) = [r for r in rows if r['block'] == 'backbone.layer3.1'
                and r['index'] == 2]
    assert span['requires'] == ['backbone.layer3.2', 1]
    assert span['recaster'] == 'BasicBlockToConv() over backbone.layer3.2'
    (pair, ) = score_plans(
        library, [{'backbone.layer3.1': 2, 'backbone.layer3.2': 1}], batches)
    assert span['kl'] == pytest.approx(pair['kl'], rel=1e-5)
    # its output is matched with the output of the block it covers
    seen = {}
    handle = library.teacher.backbone.layer3[2].register_forward_hook(
        lambda m, a, o: seen.setdefault('out', []).append(o))
    handle_in = library.teacher.backbone.layer3[1].register_forward_pre_hook(
        lambda m, a: seen.setdefault('in', []).append(a[0]))
    with torch.no_grad():
        for batch in batches:
            data = library.data_preprocessor(batch, False)
            library.teacher(data['inputs'], mode='tensor')
    handle.remove()
    handle_in.remove()
    out = torch.cat(seen['out'])
    with torch.no_grad():
        own = library.target('backbone.layer3.1', 2)(torch.cat(seen['in']))
    assert span['rel_mse'] == pytest.approx(
        (F.mse_loss(own, out) / out.var(unbiased=False)).item(), rel=1e-4)
    # the search sums the span and the removal it takes to the pair's
    scores = search_scores(rows, 'kl')
    assert scores[('backbone.layer3.1', 2)] + \
        scores[('backbone.layer3.2', 1)] == pytest.approx(-pair['kl'])
