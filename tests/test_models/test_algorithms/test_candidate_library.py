# Copyright (c) mmrecast contributors. All rights reserved.
import re

import pytest
import torch
import torch.nn.functional as F

from mmrecast.models import BasicBlock, ConvBNReLU
from mmrecast.registry import MODELS
from mmrecast.utils.errors import ConfigError
from tests.helpers import RESNET20, VIT, VIT_LAYERS
from tests.helpers import candidate_library as _library


def test_every_block_gets_every_candidate_in_forward_order():
    library = _library()
    assert library.blocks[0] == 'backbone.layer1.0'
    assert library.blocks[-1] == 'backbone.layer3.2' and len(
        library.blocks) == 9
    assert len(library.entries) == 27
    options = library.options('backbone.layer2.0')
    assert [c.index for c in options] == [0, 1, 2]
    assert isinstance(library.target('backbone.layer2.0', 0), ConvBNReLU)
    assert isinstance(library.target('backbone.layer2.0', 1), BasicBlock)
    # identities have nothing to train: 7 stride-1 blocks
    assert len(library.trained) == 27 - 7


def test_width_changing_candidate_is_refused_at_build_time():
    with pytest.raises(ConfigError, match='BasicBlockReduce.*keep the output'):
        _library(recasters=[dict(type='BasicBlockReduce', ratio=0.5)])


def test_a_conv_candidate_for_a_transformer_layer_is_refused():
    with pytest.raises(ConfigError, match=re.escape(
            'model.candidates: BasicBlockToConv() builds convolutions, for '
            f'blocks on image feature maps (N, C, H, W); {VIT_LAYERS}.'
            'encoder_layer_0 takes inputs of shape (2, 17, 32)')):
        MODELS.build(dict(
            type='CandidateLibrary', teacher=VIT, input_size=(3, 32, 32),
            sequence=[f'{VIT_LAYERS}.*', 'backbone.module.heads'],
            candidates=[dict(blocks=f'{VIT_LAYERS}.*',
                             recasters=[dict(type='BlockToShortcut'),
                                        dict(type='BasicBlockToConv')])]))


def test_a_vit_library_trains_its_token_mlps():
    """A ViT's layers: an MLP each (trained) and the layer dropped."""
    library = MODELS.build(dict(
        type='CandidateLibrary', teacher=VIT, input_size=(3, 32, 32),
        sequence=[f'{VIT_LAYERS}.*', 'backbone.module.heads'],
        candidates=[dict(blocks=f'{VIT_LAYERS}.*',
                         recasters=[dict(type='BlockToTokenMLP'),
                                    dict(type='BlockToShortcut')])]))
    library.init_weights()
    assert len(library.entries) == 6 and len(library.trained) == 3
    library.train()
    loss = library(torch.randn(2, 3, 32, 32), mode='loss')
    sum(loss.values()).backward()
    assert all(p.grad is not None
               for p in library.target(f'{VIT_LAYERS}.encoder_layer_0',
                                       0).parameters())


def _loss_by_hand(library, inputs) -> float:
    """The library loss from the teacher's block inputs and outputs: each
    candidate fed its block's input, matched with the output of its block
    (a span candidate's: the next block's)."""
    seen = {}
    hooks = [
        library.teacher.get_submodule(b).register_forward_hook(
            lambda m, a, o, b=b: seen.__setitem__(b, (a[0], o)))
        for b in library.blocks
    ]
    with torch.no_grad():
        library.teacher(inputs, mode='tensor')
    for hook in hooks:
        hook.remove()
    expected = [
        F.mse_loss(library.target(c.block, c.index)(seen[c.block][0]),
                   seen[c.covers or c.block][1]) for c in library.trained
    ]
    return (sum(expected) / len(expected)).item()


def test_loss_feeds_each_candidate_its_blocks_teacher_input():
    library = _library(blocks='backbone.layer2.*')
    inputs = torch.randn(4, 3, 32, 32)
    loss = library(inputs, mode='loss')['loss_library']
    assert loss.item() == pytest.approx(_loss_by_hand(library, inputs),
                                        rel=1e-5)
    loss.backward()
    assert library.target('backbone.layer2.1', 0)[0].weight.grad is not None
    assert all(p.grad is None for p in library.teacher.parameters())


@pytest.mark.parametrize('mode', ['tensor', 'predict'])
def test_a_library_is_no_classifier_to_test_or_export(mode):
    # tools/test.py once reported the teacher's accuracy as the library's
    with pytest.raises(ConfigError, match=f"no '{mode}' forward: it holds "
                       'every candidate, not one student'):
        _library()(torch.randn(1, 3, 32, 32), mode=mode)


def test_swapped_teacher_is_the_student_with_that_candidate():
    from mmrecast.search import build_student
    library = _library().eval()
    choice = {'backbone.layer1.1': 0, 'backbone.layer3.0': 1}
    inputs = torch.randn(2, 3, 32, 32)
    with torch.no_grad(), library.swapped(choice) as swapped:
        via_hooks = swapped(inputs, mode='tensor')
    plain = library.teacher(inputs, mode='tensor')
    student = build_student(library, choice)
    assert torch.allclose(student(inputs, mode='tensor'), via_hooks,
                          atol=1e-5)
    assert not torch.allclose(plain, via_hooks, atol=1e-3)
    assert isinstance(student.backbone.layer1[1], ConvBNReLU)
    assert library.teacher(inputs, mode='tensor').equal(plain)  # hooks gone


SPAN_RECASTERS = (dict(type='BasicBlockToConv'), dict(type='BlockToShortcut'))


def _build(**fields):
    """A ResNet-20 library of ``SPAN_RECASTERS`` for the first stage, with
    ``fields`` of the model config in place of the defaults."""
    return MODELS.build(
        dict(dict(type='CandidateLibrary', teacher=RESNET20,
                  input_size=(3, 32, 32),
                  candidates=[dict(blocks='backbone.layer1.*',
                                   recasters=list(SPAN_RECASTERS))]),
             **fields))


def _library_with_spans(blocks='backbone.layer*.*'):
    return _library(blocks, SPAN_RECASTERS,
                    spans=[dict(type='BasicBlockToConv')])


def test_span_candidates_cover_a_next_block_that_is_removed_as_identity():
    library = _library_with_spans()
    spans = [(c.block, c.covers) for c in library.entries if c.covers]
    # not before a stride-2 block (its removal is a projection), nor last
    assert spans == [('backbone.layer1.0', 'backbone.layer1.1'),
                     ('backbone.layer1.1', 'backbone.layer1.2'),
                     ('backbone.layer2.0', 'backbone.layer2.1'),
                     ('backbone.layer2.1', 'backbone.layer2.2'),
                     ('backbone.layer3.0', 'backbone.layer3.1'),
                     ('backbone.layer3.1', 'backbone.layer3.2')]
    assert [c.index for c in library.options('backbone.layer1.0')] == \
        [0, 1, 2]
    assert library.requirements()[('backbone.layer2.0', 2)] == \
        ('backbone.layer2.1', 1)
    assert isinstance(library.target('backbone.layer2.0', 2), ConvBNReLU)
    # the regular candidates draw the streams they drew without spans
    plain = _library(recasters=SPAN_RECASTERS)
    assert torch.equal(library.target('backbone.layer3.1', 0)[0].weight,
                       plain.target('backbone.layer3.1', 0)[0].weight)


def test_a_span_candidate_learns_the_next_blocks_output():
    library = _library_with_spans(blocks='backbone.layer3.*')
    inputs = torch.randn(4, 3, 32, 32)
    loss = library(inputs, mode='loss')['loss_library']
    # three convs, layer3.0's shortcut projection, two spans
    assert len(library.trained) == 6
    assert loss.item() == pytest.approx(_loss_by_hand(library, inputs),
                                        rel=1e-5)


def test_spans_with_no_removable_next_block_are_refused():
    with pytest.raises(ConfigError, match='no block with spans is followed'):
        _library_with_spans(blocks='backbone.layer3.2')  # the last block


def test_a_misspelt_group_field_is_refused_not_ignored():
    with pytest.raises(ConfigError, match=r'candidates\[0\]\.span: not a '
                       'field of a group; write blocks and recasters'):
        _build(candidates=[dict(blocks='backbone.layer1.*',
                                recasters=list(SPAN_RECASTERS),
                                span=[dict(type='BasicBlockToConv')])])


def test_a_span_of_a_block_without_candidates_is_refused():
    with pytest.raises(ConfigError, match='model.spans: backbone.layer2.0 '
                       'has no candidates'):
        _build(spans=[dict(blocks='backbone.layer*.*',
                           recasters=[dict(type='BasicBlockToConv')])])


def test_spans_that_are_not_a_list_of_groups_are_refused():
    with pytest.raises(ConfigError, match="model.spans={'0': .*give a list"):
        _build(spans={'0': dict(blocks='backbone.layer1.*')})


def test_a_group_that_matches_nothing_new_is_refused_naming_its_field():
    layer1 = dict(blocks='backbone.layer1.*', recasters=list(SPAN_RECASTERS))
    with pytest.raises(ConfigError, match=r"model.candidates\[0\].blocks "
                       r"\['backbone.layer9.\*'\] match no block"):
        _build(candidates=[dict(layer1, blocks='backbone.layer9.*')])
    with pytest.raises(ConfigError, match=r"model.candidates\[1\].blocks="
                       r"'backbone.layer1.0': every block it matches takes "
                       'an earlier group'):
        _build(candidates=[layer1, dict(layer1, blocks='backbone.layer1.0')])
    with pytest.raises(ConfigError, match=r"model.spans\[0\].blocks "):
        _build(spans=[dict(layer1, blocks='backbone.layer1.9')])
    with pytest.raises(ConfigError, match=r"model.candidates\[0\].blocks="
                       r"\['backbone.layer1.0', None\]: give a module path"):
        _build(candidates=[dict(layer1, blocks=['backbone.layer1.0', None])])
