# Copyright (c) mmrecast contributors. All rights reserved.
"""tools/misc/check_plan.py on every recast config, and the plan mistakes
it must report in one line before any training."""
import re

import pytest
import torch
import torch.nn as nn
from mmengine.config import Config

from mmrecast.apis import check_plan, plan_table, register_all_modules
from mmrecast.models import BaseRecaster
from mmrecast.models.blocks import ConvBNReLU
from mmrecast.registry import RECASTERS
from mmrecast.utils.errors import ConfigError
from tests.helpers import (VIT, VIT_LAYERS, config_path, input_shape,
                           leaf_configs, run_tool_in_process)

register_all_modules()
RECAST_CONFIGS = [c for c in leaf_configs() if c.endswith('_recast.py')]
RESNET20 = config_path(
    'recasting', 'recast_backbone_resnet20-akamaster_convnet20_1xb64_'
    'cifar10-folder_recast.py')


@pytest.mark.parametrize('config', RECAST_CONFIGS)
def test_every_recast_config_passes_its_plan_check(config):
    shape = input_shape(config)
    code, out, err = run_tool_in_process(
        'misc/check_plan.py', [config_path(config), '--shape', *shape])
    assert code == 0, err
    table, last = out.strip().rsplit('\n', 1)
    assert last.startswith('plan ok: ')
    assert table.count('\n| ') >= 2  # header, a block row, the totals


@RECASTERS.register_module()
class WrongWidthTarget(BaseRecaster):
    """Test-only: says it keeps the width, then outputs half of it."""

    def make_target(self, source, io):
        conv = ConvBNReLU(io.in_channels, io.out_channels // 2, io.stride)
        conv.out_channels = io.out_channels
        return conv


def _model(**plan_changes) -> dict:
    cfg = Config.fromfile(RESNET20).model.to_dict()
    cfg['plan']['steps'][0].update(plan_changes)
    return cfg


def test_table_counts_what_changes():
    rows = check_plan(_model(), _probe())
    blocks = [r['block'] for r in rows]
    assert blocks[:2] == ['backbone.layer1.0', 'backbone.layer1.1']
    assert [r['stage'] for r in rows] == list(range(1, 10))
    first = rows[0]
    assert (first['source'], first['target']) == ('BasicBlock', 'ConvBNReLU')
    assert (first['in_channels'], first['out_channels'], first['stride']) \
        == (16, 16, 1)
    assert rows[3]['stride'] == 2 and rows[3]['out_channels'] == 32
    (params0, macs0), (params1, macs1) = first['cost']
    assert params1 * 2 == params0 and macs1 * 2 == macs0
    assert rows[-1]['next'] == 'head.fc' and rows[-1]['rebuilt']
    assert plan_table(rows).count('BasicBlock -> ConvBNReLU') == 9


def _probe():
    return torch.zeros(2, 3, 32, 32)


@pytest.mark.parametrize('changes, says', [
    (dict(blocks='backbone.layer9.*'), 'match no block'),
    (dict(recaster=dict(type='WrongWidthTarget')),
     'stage 1: the student does not run once backbone.layer1.0 is recast'),
    (dict(recaster=dict(type='NoSuchRecaster')), 'NoSuchRecaster'),
])
def test_plan_mistakes_are_one_line(changes, says):
    with pytest.raises(Exception) as error:
        check_plan(_model(**changes), _probe())
    assert says in str(error.value)
    assert '\n' not in str(error.value)


class _Odd(nn.Module):
    """A block type without a rebuild rule."""

    def __init__(self, width):
        super().__init__()
        self.in_channels = self.out_channels = width
        self.stride = 1
        self.conv = nn.Conv2d(width, width, 3, padding=1)

    def forward(self, x):
        return self.conv(x)


def test_next_block_without_rebuild_rule_is_named(tmp_path):
    (tmp_path / 'odd_net.py').write_text(
        'import torch.nn as nn\n'
        'from mmrecast.models.blocks import ConvBNReLU\n'
        'from tests.test_apis.test_plan_check import _Odd\n'
        'class OddNet(nn.Sequential):\n'
        '    def __init__(self):\n'
        '        super().__init__(ConvBNReLU(3, 16), _Odd(16), '
        'nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))\n')
    model = dict(
        teacher=dict(
            type='ImageClassifier', _scope_='mmpretrain',
            backbone=dict(type='mmrecast.ExternalBackbone',
                          module=f'{tmp_path}/odd_net.py:OddNet'),
            head=dict(type='ClsHead')),
        plan=dict(
            sequence=['backbone.module.0', 'backbone.module.1',
                      'backbone.module.4'],
            steps=[dict(block='backbone.module.0',
                        recaster=dict(type='ConvReduce', ratio=0.5))]))
    with pytest.raises(ConfigError, match=r'^stage 1: backbone\.module\.0 '
                       r'\(ConvBNReLU\) -> ConvReduce: no rule to rebuild a '
                       r'_Odd for a new input width'):
        check_plan(model, _probe())


def test_next_block_of_the_same_width_needs_no_rule(tmp_path):
    """Only a change of input width needs a rebuild rule: a successor of
    unchanged width (here of a type with no rule) is a fresh copy."""
    from mmrecast.models import RecastPlan
    net = nn.Sequential(ConvBNReLU(3, 16), _Odd(16))
    old = net[1]
    plan = RecastPlan(
        sequence=['0', '1'],
        steps=[dict(block='0', recaster=dict(type='ConvReduce', ratio=1.0))])
    plan.apply(net, seed=0, rebuild_next=True)
    assert type(net[1]) is _Odd and net[1] is not old
    assert not torch.equal(net[1].conv.weight, old.conv.weight)


def _vit(recaster: dict, mode: str) -> dict:
    """The ViT teacher, its last two encoder layers recast."""
    return dict(
        type='BlockRecast', mode=mode, input_size=(3, 32, 32), teacher=VIT,
        plan=dict(sequence=[f'{VIT_LAYERS}.*', 'backbone.module.heads'],
                  steps=[dict(blocks=[f'{VIT_LAYERS}.encoder_layer_1',
                                      f'{VIT_LAYERS}.encoder_layer_2'],
                              recaster=recaster)]))


@pytest.mark.parametrize('mode', ['sequential', 'parallel'])
def test_transformer_layers_are_removed_by_their_token_width(mode):
    """Tokens (N, L, C) are C wide: read as L (17 tokens), the last layer
    removed made the head a Linear of 17 inputs, for which no rule
    existed, and the table showed 17 -> 17."""
    rows = check_plan(_vit(dict(type='BlockToShortcut'), mode),
                      torch.zeros(2, 3, 32, 32))
    assert [(r['in_channels'], r['out_channels'], r['target'])
            for r in rows] == [(32, 32, 'Identity')] * 2
    assert rows[-1]['next'] == 'backbone.module.heads'
    assert rows[-1]['rebuilt'] == (mode == 'sequential')


@pytest.mark.parametrize('mode', ['sequential', 'parallel'])
def test_a_conv_target_for_a_transformer_layer_is_one_line(mode):
    # was a conv2d's RuntimeError on the tokens (or a width mismatch)
    with pytest.raises(ConfigError, match=re.escape(
            'plan.steps: BasicBlockToConv() builds convolutions, for blocks '
            'on image feature maps (N, C, H, W); backbone.module.encoder.'
            'layers.encoder_layer_1 takes inputs of shape (2, 17, 32): '
            'remove it with BlockToShortcut, or give a recaster of your own '
            'that builds its target')):
        check_plan(_vit(dict(type='BasicBlockToConv'), mode),
                   torch.zeros(2, 3, 32, 32))


@pytest.mark.parametrize('build', ['check_plan', 'BlockRecast',
                                   'CandidateLibrary'])
def test_an_input_size_the_teacher_cannot_take_is_one_line(build):
    """torchvision's ViT asserts its image size: an AssertionError
    traceback from the width probe."""
    from mmrecast.registry import MODELS
    model = _vit(dict(type='BlockToShortcut'), 'parallel')
    model['input_size'] = (3, 64, 64)
    says = re.escape(
        'model.input_size=(3, 64, 64): the teacher does not run on images '
        'of this size (AssertionError: Wrong image height! Expected 32 but '
        'got 64!); give the (C, H, W) of the images it takes')
    with pytest.raises(ConfigError, match=f'^{says}$'):
        if build == 'check_plan':
            check_plan(model, torch.zeros(2, 3, 32, 32))
        elif build == 'BlockRecast':
            MODELS.build(model)
        else:
            MODELS.build(dict(
                type='CandidateLibrary', teacher=VIT, input_size=(3, 64, 64),
                sequence=model['plan']['sequence'],
                candidates=[dict(blocks=f'{VIT_LAYERS}.*',
                                 recasters=[dict(type='BlockToShortcut')])]))


def test_mmpretrain_vit_layers_are_dropped_or_replaced():
    """mmpretrain's own ViT: its layers recast by token width."""
    model = dict(
        type='BlockRecast', mode='parallel', input_size=(3, 32, 32),
        teacher=dict(
            type='ImageClassifier', _scope_='mmpretrain',
            backbone=dict(type='VisionTransformer', img_size=32,
                          patch_size=8, arch=dict(
                              embed_dims=32, num_layers=3, num_heads=2,
                              feedforward_channels=64)),
            head=dict(type='VisionTransformerClsHead', num_classes=10,
                      in_channels=32)),
        plan=dict(sequence=['backbone.layers.*', 'head.layers.head'],
                  steps=[dict(blocks='backbone.layers.1',
                              recaster=dict(type='BlockToTokenMLP')),
                         dict(blocks='backbone.layers.2',
                              recaster=dict(type='BlockToShortcut'))]))
    rows = check_plan(model, torch.zeros(2, 3, 32, 32))
    assert [(r['target'], r['in_channels'], r['out_channels'], r['next'],
             r['rebuilt']) for r in rows] == [
                 ('TokenMLP', 32, 32, 'backbone.layers.2', False),
                 ('Identity', 32, 32, 'head.layers.head', False)]
