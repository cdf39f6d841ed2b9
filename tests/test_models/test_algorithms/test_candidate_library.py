# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
import torch
import torch.nn.functional as F

from mmrecast.models import BasicBlock, ConvBNReLU
from mmrecast.utils.errors import ConfigError
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


def test_loss_feeds_each_candidate_its_blocks_teacher_input():
    library = _library(blocks='backbone.layer2.*')
    inputs = torch.randn(4, 3, 32, 32)
    loss = library(inputs, mode='loss')['loss_library']
    # the same by hand: the teacher's block inputs and outputs
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
                   seen[c.block][1]) for c in library.trained
    ]
    assert loss.item() == pytest.approx(
        (sum(expected) / len(expected)).item(), rel=1e-5)
    loss.backward()
    assert library.target('backbone.layer2.1', 0)[0].weight.grad is not None
    assert all(p.grad is None for p in library.teacher.parameters())


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
