# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
import torch

from mmrecast.apis import register_all_modules
from mmrecast.models import RecastPlan
from mmrecast.registry import MODELS

register_all_modules()


def _resnet(depth: int, block: str = 'basic'):
    """A CIFAR ResNet classifier (plans address blocks from the model)."""
    return MODELS.build(
        dict(
            type='ImageClassifier',
            _scope_='mmpretrain',
            backbone=dict(
                type='mmrecast.CifarResNet',
                depth=depth,
                block=block,
                shortcut='A' if block == 'basic' else 'B',
                stem_norm=True),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(type='LinearClsHead', num_classes=10,
                      in_channels=64 if block == 'basic' else 256)))


@pytest.mark.parametrize('depth, block, recaster',
                         [(20, 'basic', 'BasicBlockToConv'),
                          (29, 'bottleneck', 'BottleneckToConv')])
def test_fully_recast_resnet_is_exactly_a_convnet(depth, block, recaster):
    student = _resnet(depth, block)
    RecastPlan(steps=[dict(blocks='backbone.layer*.*', recaster=dict(
        type=recaster))]).apply(student)
    student = student.backbone
    plain_cfg = student.plain_equivalent()
    assert plain_cfg['type'] == 'mmrecast.ConvNet'
    assert plain_cfg['bottleneck_layout'] == (block == 'bottleneck')
    plain = MODELS.build(plain_cfg).eval()
    plain.load_state_dict(student.state_dict(), strict=True)
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        assert torch.equal(plain(x)[-1], student.eval()(x)[-1])


def test_partly_recast_resnet_has_no_plain_equivalent():
    student = _resnet(20)
    RecastPlan(steps=[dict(blocks='backbone.layer1.*', recaster=dict(
        type='BasicBlockToConv'))]).apply(student)
    assert student.backbone.plain_equivalent() is None
    assert _resnet(20).backbone.plain_equivalent() is None


@pytest.mark.parametrize('other', [
    dict(type='BlockToShortcut'),  # no block at all: an Identity
    dict(type='BasicBlockToConv', groups=2),  # a conv ConvNet cannot hold
])
def test_convs_with_a_block_removed_or_grouped_have_no_plain_equivalent(
        other):
    student = _resnet(20)
    conv = dict(type='BasicBlockToConv')
    RecastPlan(steps=[
        dict(blocks='backbone.layer1.*', recaster=conv),
        dict(blocks='backbone.layer2.0', recaster=conv),
        dict(blocks='backbone.layer2.1', recaster=conv),
        dict(blocks='backbone.layer3.*', recaster=conv),
        dict(blocks='backbone.layer2.2', recaster=other),
    ]).apply(student, probe=torch.randn(1, 3, 32, 32))  # an Identity has
    # no width attributes: the probe measures them
    assert student.backbone.plain_equivalent() is None
