# Copyright (c) mmrecast contributors. All rights reserved.
import re

import pytest
import torch
import torch.nn as nn
import torchvision
from mmcv.cnn import ConvModule
from mmpretrain.models.backbones.repvgg import RepVGGBlock
from torchvision.models.densenet import _DenseBlock, _Transition

from mmrecast.models import (BasicBlock, BasicBlockReduce, BasicBlockSlim,
                             BasicBlockToConv, BasicBlockToFactorizedConv,
                             BasicBlockToRepVGG, BasicBlockToSeparableConv,
                             BlockToShortcut, BlockToTokenMLP, Bottleneck,
                             BottleneckToConv, CifarResNet, CifarVGG,
                             ConvBNReLU, ConvReduce, DenseBlock,
                             DenseBlockToBasicBlock, FactorizedConv,
                             NarrowConv, RecastPlan, SeparableConvBNReLU,
                             TokenMLP, block_io, rebuild_for_input)
from mmrecast.models.recasters import BasicBlockToNarrowConv, BlockIO
from mmrecast.utils.errors import ConfigError, explain

G = torch.Generator().manual_seed(0)
#: torchvision's DenseNet blocks have no width attributes and no reader:
#: their widths are measured, as a run with ``input_size`` measures them
MEASURED = (_DenseBlock, _Transition)


def test_a_grouped_conv_halves_the_weights_of_the_plain_one():
    block = BasicBlock(16, 32, 2)
    plain = BasicBlockToConv().build_target(block, G)
    grouped = BasicBlockToConv(groups=2).build_target(block, G)
    assert grouped[0].groups == 2
    assert grouped[0].weight.numel() * 2 == plain[0].weight.numel()


def test_groups_that_do_not_divide_the_widths_are_refused():
    with pytest.raises(ValueError, match='not divisible by 3'):
        BasicBlockToConv(groups=3).build_target(BasicBlock(16, 32, 2), G)
    with pytest.raises(ValueError, match='at least 1'):
        BasicBlockToConv(groups=0)


def test_a_1x1_conv_keeps_the_shape_at_a_ninth_of_the_weights():
    block = BasicBlock(16, 32, 2)
    plain = BasicBlockToConv().build_target(block, G)
    pointwise = BasicBlockToConv(kernel_size=1).build_target(block, G)
    assert pointwise[0].kernel_size == (1, 1)
    assert pointwise[0].weight.numel() * 9 == plain[0].weight.numel()
    x = torch.randn(2, 16, 8, 8)
    assert pointwise(x).shape == block(x).shape == (2, 32, 4, 4)
    with pytest.raises(ValueError, match='kernel_size must be odd'):
        BasicBlockToConv(kernel_size=2)


def test_a_recaster_shows_the_arguments_it_was_given():
    """Defaults are left out, so logs and plan tables read as configs."""
    assert repr(BasicBlockToConv()) == 'BasicBlockToConv()'
    assert repr(BasicBlockToConv(groups=2, kernel_size=3)) == \
        'BasicBlockToConv(groups=2)'
    assert repr(BasicBlockToConv(kernel_size=1)) == \
        'BasicBlockToConv(kernel_size=1)'
    assert repr(BasicBlockSlim(0.25)) == 'BasicBlockSlim(ratio=0.25)'


@pytest.mark.parametrize('recaster', [
    BasicBlockReduce, BasicBlockSlim, ConvReduce, BasicBlockToNarrowConv])
@pytest.mark.parametrize('ratio', [0, -0.5, 1.5, '0.5'])
def test_a_bad_ratio_names_the_recaster(recaster, ratio):
    with pytest.raises(ConfigError, match=f'{recaster.__name__}: ratio='):
        recaster(ratio)


def test_the_kept_filters_are_rounded_and_at_least_one():
    source = BasicBlock(16, 32, stride=2)
    io = block_io(source)
    assert BasicBlockReduce(0.3).make_target(source, io).out_channels == 10
    assert BasicBlockSlim(0.01).make_target(source, io).mid_channels == 1
    assert BasicBlockReduce(1).make_target(source, io).out_channels == 32


def _measured_io(block: nn.Module, in_channels: int, size: int = 8):
    out = block(torch.randn(1, in_channels, size, size))
    return BlockIO(in_channels, out.shape[1], size // out.shape[2])


@pytest.mark.parametrize('recaster, source, expected', [
    (BasicBlockToConv(), BasicBlock(16, 32, 2), (ConvBNReLU, 16, 32, 2)),
    (BottleneckToConv(), Bottleneck(64, 32, 128, 2), (ConvBNReLU, 64, 32,
                                                      2)),
    (DenseBlockToBasicBlock(), DenseBlock(24, 4, 12), (BasicBlock, 24, 72,
                                                       1)),
    (ConvReduce(0.4), ConvBNReLU(64, 128, 1), (ConvBNReLU, 64, 51, 1)),
    (BasicBlockReduce(0.2), BasicBlock(160, 320, 2), (BasicBlock, 160, 64,
                                                      2)),
    (BasicBlockSlim(0.25), BasicBlock(16, 32, 2), (BasicBlock, 16, 32, 2)),
    (BasicBlockToSeparableConv(), BasicBlock(16, 32, 2),
     (SeparableConvBNReLU, 16, 32, 2)),
    (BasicBlockToSeparableConv(), torchvision.models.resnet.BasicBlock(
        64, 64), (SeparableConvBNReLU, 64, 64, 1)),
    (BasicBlockToSeparableConv(num_convs=2), BasicBlock(16, 32, 2),
     (SeparableConvBNReLU, 16, 32, 2)),
    (BasicBlockToFactorizedConv(), BasicBlock(16, 32, 2),
     (FactorizedConv, 16, 32, 2)),
    (BasicBlockToRepVGG(), BasicBlock(16, 32, 2), (RepVGGBlock, 16, 32, 2)),
    (BasicBlockToRepVGG(), torchvision.models.resnet.BasicBlock(
        64, 64), (RepVGGBlock, 64, 64, 1)),
    (BasicBlockToConv(), torchvision.models.resnet.BasicBlock(
        64, 64), (ConvBNReLU, 64, 64, 1)),
    (BasicBlockToConv(groups=2), BasicBlock(16, 32, 2), (ConvBNReLU, 16, 32,
                                                         2)),
    (DenseBlockToBasicBlock(), _DenseBlock(3, 16, 4, 8, 0.),
     (BasicBlock, 16, 40, 1)),
    (ConvReduce(0.5), ConvModule(8, 32, 3, padding=1,
                                 norm_cfg=dict(type='BN')), (ConvBNReLU, 8,
                                                             16, 1)),
])
def test_targets(recaster, source, expected):
    cls, c_in, c_out, stride = expected
    io = _measured_io(source, c_in) if isinstance(source, MEASURED) else None
    target = recaster.build_target(source, G, io)
    assert isinstance(target, cls)
    assert tuple(block_io(target)) == (c_in, c_out, stride)
    size = 8
    out = target(torch.randn(2, c_in, size, size))
    assert out.shape == (2, c_out, size // stride, size // stride)


def test_separable_target_is_depthwise_then_pointwise():
    target = BasicBlockToSeparableConv().build_target(BasicBlock(16, 32, 2), G)
    depthwise, pointwise = target[0], target[3]
    assert (depthwise.groups, depthwise.stride) == (16, (2, 2))
    assert (pointwise.kernel_size, pointwise.groups) == ((1, 1), 1)
    full = 16 * 32 * 9  # weights of the 3x3 conv it replaces
    assert sum(p.numel() for p in target.parameters()
               if p.dim() == 4) == 16 * 9 + 16 * 32 < full / 7


def test_two_separable_convs_stride_once_and_see_two_windows():
    target = BasicBlockToSeparableConv(num_convs=2).build_target(
        BasicBlock(16, 32, 2), G)
    convs = [m for m in target if isinstance(m, nn.Conv2d)]
    assert [(c.in_channels, c.out_channels, c.groups, c.stride[0])
            for c in convs] == [(16, 16, 16, 2), (16, 32, 1, 1),
                                (32, 32, 32, 1), (32, 32, 1, 1)]
    rebuilt = rebuild_for_input(target, 8)
    assert (rebuilt.num_convs, rebuilt[0].in_channels) == (2, 8)
    images = torch.randn(1, 16, 16, 16, requires_grad=True)
    target.eval()(images)[0, :, 3, 3].sum().backward()
    rows, cols = (images.grad[0].abs().sum(0) > 0).nonzero().unbind(1)
    # the second window (3 pixels at stride 2) over the first: 7 rows, 7 cols
    assert set(rows.tolist()) == set(cols.tolist()) == set(range(3, 10))
    with pytest.raises(ValueError, match='num_convs=0 must be a positive'):
        BasicBlockToSeparableConv(num_convs=0)
    with pytest.raises(ValueError, match='num_convs=True must be a '):
        BasicBlockToSeparableConv(num_convs=True)


def test_factorized_target_sees_the_3x3_window_at_two_thirds_the_macs():
    block = BasicBlock(32, 32, 2)
    target = BasicBlockToFactorizedConv().build_target(block, G).eval()
    plain = BasicBlockToConv().build_target(block, G)
    assert [m.kernel_size for m in target if isinstance(m, nn.Conv2d)] == [
        (3, 1), (1, 3)]
    # the stride is split (rows, then columns); at stride 1 the MACs follow
    # the weights: 2 * 3 * 32 * 32 against 9 * 32 * 32
    weights = sum(p.numel() for p in target.parameters() if p.dim() == 4)
    assert weights * 3 == plain[0].weight.numel() * 2
    # an output pixel reads exactly the 3x3 input window a plain conv reads
    images = torch.randn(1, 32, 16, 16, requires_grad=True)
    target(images)[0, :, 3, 5].sum().backward()
    rows, cols = (images.grad[0].abs().sum(0) > 0).nonzero().unbind(1)
    assert (set(rows.tolist()), set(cols.tolist())) == ({5, 6, 7},
                                                        {9, 10, 11})
    with pytest.raises(ValueError, match='odd and at least 3'):
        BasicBlockToFactorizedConv(kernel_size=1)


def test_slim_block_keeps_its_interface_and_shortcut():
    source = CifarResNet(20, shortcut='A').layer2[0]  # 16 -> 32, stride 2
    target = BasicBlockSlim(0.25).build_target(source, G)
    assert (target.conv1.out_channels, target.conv2.in_channels) == (8, 8)
    assert type(target.shortcut) is type(source.shortcut)
    assert type(rebuild_for_input(target, 7)).__name__ == 'BasicBlock'
    assert rebuild_for_input(target, 7).mid_channels == 8


def test_block_to_shortcut_is_the_block_removed():
    keep = BlockToShortcut().build_target(BasicBlock(16, 16), G)
    assert isinstance(keep, nn.Identity)
    down = BlockToShortcut().build_target(BasicBlock(16, 32, 2), G)
    x = torch.randn(2, 16, 8, 8)
    assert down(x).shape == (2, 32, 4, 4)
    assert sum(p.numel() for p in down.parameters()) == 16 * 32 + 2 * 32


def test_target_init_is_xavier_and_seeded():
    a = BasicBlockToConv().build_target(BasicBlock(16, 16),
                                        torch.Generator().manual_seed(1))
    b = BasicBlockToConv().build_target(BasicBlock(16, 16),
                                        torch.Generator().manual_seed(1))
    assert torch.equal(a[0].weight, b[0].weight)
    # Xavier-uniform on U(-b, b): 2,304 draws reach close to b; torch's
    # default (Kaiming-uniform, a=sqrt(5)) stays below 1 / sqrt(144) = 0.58 b
    bound = (6 / (16 * 9 + 16 * 9))**0.5
    assert 0.95 * bound < a[0].weight.abs().max() <= bound


@pytest.mark.parametrize('block', [
    BasicBlock(16, 32, 2), Bottleneck(64, 16, 64), ConvBNReLU(16, 16),
    DenseBlock(24, 2, 12), nn.Linear(64, 10), FactorizedConv(16, 32, 2, 5),
    NarrowConv(16, 8, 32, 2), SeparableConvBNReLU(16, 32, 2),
    torchvision.models.resnet.BasicBlock(64, 64),
    _DenseBlock(2, 16, 4, 12, 0.), _Transition(40, 20),
    ConvModule(8, 32, 3, padding=1, norm_cfg=dict(type='BN'))
])
def test_rebuild_for_a_new_input_width(block):
    new = rebuild_for_input(block, 7)
    assert type(new) is type(block)
    if isinstance(block, MEASURED):
        old_io, new_io = _measured_io(block, 16 if isinstance(
            block, _DenseBlock) else 40), _measured_io(new, 7)
    else:
        old_io, new_io = block_io(block), block_io(new)
    assert new_io.in_channels == 7
    assert getattr(new, 'stride', None) == getattr(block, 'stride', None)
    if isinstance(block, (DenseBlock, _DenseBlock)):  # out = in + n k
        assert new_io.out_channels == 7 + 2 * 12
    else:
        assert new_io.out_channels == old_io.out_channels


def test_rebuilt_targets_keep_their_kernel():
    assert rebuild_for_input(FactorizedConv(16, 32, 2, 5),
                             7)[3].kernel_size == (1, 5)
    assert rebuild_for_input(NarrowConv(16, 8, 32, 1, 1),
                             7)[0][0].kernel_size == (1, 1)


def test_unknown_block_type_is_explained():
    with pytest.raises(TypeError, match='register_rebuilder'):
        rebuild_for_input(nn.GRU(2, 2), 3)
    with pytest.raises(TypeError, match='cannot read the widths'):
        block_io(nn.ReLU())
    with pytest.raises(TypeError, match=r'input_size=\(C, H, W\)'):
        block_io(_DenseBlock(2, 16, 4, 12, 0.))  # no built-in reader
    # a user error: the tools print its one line, not a traceback
    with pytest.raises(ConfigError) as error:
        block_io(nn.ReLU())
    assert explain(error.value) == (
        'cannot read the widths of a ReLU: set model.input_size=(C, H, W) '
        'to measure them with a probe forward, or register a reader with '
        'mmrecast.models.recasters.register_block_io')


def _classifier(backbone):
    model = nn.Module()
    model.backbone = backbone
    model.head = nn.Module()
    model.head.fc = nn.Linear(backbone.out_channels, 10)
    return model


def test_plan_expands_patterns_in_forward_order():
    model = _classifier(CifarResNet(20))
    plan = RecastPlan(steps=[
        dict(
            blocks='backbone.layer1.*',
            recaster=dict(type='BasicBlockToConv'))
    ])
    steps = plan.expand(model)
    assert [(s.block, s.next) for s in steps] == [
        ('backbone.layer1.0', 'backbone.layer1.1'),
        ('backbone.layer1.1', 'backbone.layer1.2'),
        ('backbone.layer1.2', 'backbone.layer2.0'),
    ]


def test_a_list_of_patterns_takes_what_any_of_them_matches():
    model = _classifier(CifarResNet(20))
    plan = RecastPlan(steps=[
        dict(blocks=['backbone.layer3.2', 'backbone.layer1.*'],
             recaster=dict(type='BasicBlockToConv'))
    ])
    assert [s.block for s in plan.expand(model)] == [
        'backbone.layer1.0', 'backbone.layer1.1', 'backbone.layer1.2',
        'backbone.layer3.2'
    ]


@pytest.mark.parametrize('pattern, blocks', [
    # within one segment: a set, a range, one character
    ('backbone.layer1.[02]', ['backbone.layer1.0', 'backbone.layer1.2']),
    ('backbone.layer[23].[!0]', ['backbone.layer2.1', 'backbone.layer2.2',
                                 'backbone.layer3.1', 'backbone.layer3.2']),
    ('backbone.layer?.1', ['backbone.layer1.1', 'backbone.layer2.1',
                           'backbone.layer3.1']),
    # never across segments: * is one segment, not two
    ('backbone.*', None),
])
def test_patterns_glob_within_one_path_segment(pattern, blocks):
    model = _classifier(CifarResNet(20))
    plan = RecastPlan(steps=[
        dict(blocks=pattern, recaster=dict(type='BasicBlockToConv'))
    ])
    if blocks is None:
        with pytest.raises(ConfigError, match='match no block'):
            plan.expand(model)
    else:
        assert [s.block for s in plan.expand(model)] == blocks


def test_chained_filter_reduction_composes():
    model = _classifier(CifarVGG())
    plan = RecastPlan(steps=[
        dict(blocks='backbone.layer*.*', recaster=dict(type='ConvReduce',
                                                       ratio=0.5))
    ])
    plan.apply(model, seed=0)
    widths = [block_io(model.get_submodule(f'backbone.{n}'))
              for n in model.backbone.block_names()]
    for prev, cur in zip(widths, widths[1:]):
        assert cur.in_channels == prev.out_channels  # consistent chain
    assert widths[0].out_channels == 32 and widths[-1].out_channels == 256
    assert model.head.fc.in_features == 256
    x = torch.randn(2, 3, 32, 32)
    assert model.head.fc(model.backbone(x)[-1]).shape == (2, 10)


def test_plan_mistakes_are_explained():
    model = _classifier(CifarResNet(20))
    with pytest.raises(ValueError, match='match no block'):
        RecastPlan(steps=[dict(blocks='backbone.layer9.*',
                               recaster=dict(type='BasicBlockToConv'))
                          ]).expand(model)
    # one step of several matching nothing (a typo), or only blocks an
    # earlier step takes (shadowed), is named, not skipped
    conv = dict(type='BasicBlockToConv')
    for second in ('backbone.layr2.*', 'backbone.layer1.0'):
        with pytest.raises(ValueError, match=re.escape(f"['{second}']")):
            RecastPlan(steps=[dict(blocks='backbone.layer1.*', recaster=conv),
                              dict(blocks=second, recaster=conv)
                              ]).expand(model)
    with pytest.raises(ValueError, match='plan.steps is empty'):
        RecastPlan(steps=[])
    for blocks in (3, [], ['backbone.layer1.0', 2]):
        with pytest.raises(ConfigError, match=re.escape(
                f'plan.steps[0].blocks={blocks!r}: give a module path '
                "pattern ('backbone.layer1.*') or a list of them")):
            RecastPlan(steps=[dict(blocks=blocks, recaster=conv)])
    # a span is one block
    with pytest.raises(ConfigError, match='plan.steps.0..covers: a span is '
                       'one block'):
        RecastPlan(steps=[dict(blocks=['backbone.layer1.0',
                                       'backbone.layer1.1'],
                               recaster=conv, covers='backbone.layer1.1')])
    # --cfg-options model.plan.steps.0.block=... on a step of blocks adds
    # a key: the block given was ignored, and the pattern recast
    with pytest.raises(ConfigError, match=re.escape(
            "plan.steps[0]: block='backbone.layer9.0' and blocks='backbone."
            "layer*.*'; give one of them (--cfg-options adds a key to a "
            "step: set the one the config's step has)")):
        RecastPlan(steps=[dict(blocks='backbone.layer*.*', recaster=conv,
                               block='backbone.layer9.0')])
    with pytest.raises(ValueError, match="sequence='auto' needs"):
        RecastPlan(steps=[dict(block='module.layer1.0',
                               recaster=dict(type='BasicBlockToConv'))
                          ]).expand(torchvision.models.resnet18())
    # a string other than 'auto' is not read letter by letter
    with pytest.raises(ConfigError, match="sequence='layer1': use 'auto'"):
        RecastPlan(steps=[dict(blocks='backbone.layer1.*', recaster=conv)],
                   sequence='layer1')
    with pytest.raises(ConfigError, match="model.seed='0': give an integer"):
        RecastPlan.generator('0', 1)


def test_fc_after_a_flatten_keeps_its_spatial_factor():
    """A conv whose output is flattened into an FC (VGG): the FC is
    rebuilt for the reduced channels times the same H x W."""
    model = nn.Sequential(
        ConvBNReLU(3, 8), ConvBNReLU(8, 16), nn.Flatten(),
        nn.Linear(16 * 4 * 4, 10))
    plan = RecastPlan(
        sequence=['0', '1', '3'],
        steps=[dict(blocks='1', recaster=dict(type='ConvReduce', ratio=.5))])
    plan.apply(model)
    assert model[3].in_features == 8 * 4 * 4
    assert model(torch.randn(2, 3, 4, 4)).shape == (2, 10)


def test_narrow_conv_keeps_the_interface_at_fewer_filters():
    source = BasicBlock(16, 32, stride=2)
    target = BasicBlockToNarrowConv(0.25).make_target(source,
                                                      block_io(source))
    images = torch.randn(2, 16, 8, 8)
    assert target(images).shape == source(images).shape == (2, 32, 4, 4)
    assert target[0][0].out_channels == 8 and target.mid_channels == 8
    with pytest.raises(ConfigError, match=r'ratio=1.0 is not in \(0, 1\)'):
        BasicBlockToNarrowConv(1.0)


def test_token_mlp_target_starts_as_the_layer_removed():
    """A transformer layer on tokens (N, L, C) -> a residual MLP of its
    width, the identity until trained (its scale starts at zero)."""
    layer = torchvision.models.vision_transformer.EncoderBlock(
        num_heads=2, hidden_dim=32, mlp_dim=64, dropout=0.0,
        attention_dropout=0.0)
    io = BlockIO(32, 32, 1)
    recaster = BlockToTokenMLP(mlp_ratio=2)
    assert recaster.unfit_for((2, 17, 32), io) is None
    target = recaster.build_target(layer, G, io)
    assert isinstance(target, TokenMLP)
    assert target.fc1.out_features == 64
    tokens = torch.randn(2, 17, 32)
    assert torch.equal(target(tokens), tokens)
    with torch.no_grad():
        target.scale.fill_(1.0)
    assert not torch.allclose(target(tokens), tokens)


@pytest.mark.parametrize('in_shape, io, says', [
    ((2, 16, 8, 8), BlockIO(16, 16, 1), 'builds an MLP over tokens, for '
     'blocks on (N, L, C)'),
    ((2, 17, 32), BlockIO(32, 64, 1), 'keeps the token width, which the '
     'block changes (32 -> 64)')])
def test_token_mlp_is_refused_where_it_cannot_stand_in(in_shape, io, says):
    with pytest.raises(ConfigError, match=re.escape(
            f'plan.steps: BlockToTokenMLP() {says}; layer takes inputs of '
            f'shape {in_shape}')):
        BlockToTokenMLP().check_fits('layer', in_shape, io, 'plan.steps')


@pytest.mark.parametrize('ratio', [0, -1, 'wide', True])
def test_a_bad_mlp_ratio_is_one_line(ratio):
    with pytest.raises(ConfigError, match=re.escape(
            f'BlockToTokenMLP: mlp_ratio={ratio!r}: give the hidden width '
            'over the token width, a positive number')):
        BlockToTokenMLP(mlp_ratio=ratio)


def test_a_removal_that_cannot_project_tokens_names_what_to_do():
    """BlockToShortcut on tokens that change width: its projection is a
    convolution, and the way out is not BlockToShortcut itself."""
    io = BlockIO(32, 64, 1)
    assert BlockToShortcut().unfit_for((2, 32, 8, 8), io) is None
    assert BlockToShortcut().unfit_for((2, 17, 32), BlockIO(32, 32, 1)) \
        is None
    with pytest.raises(ConfigError, match=re.escape(
            'plan.steps: BlockToShortcut() removes a block that changes its '
            'width (32 -> 64) with a 1x1 convolution, for image feature maps '
            '(N, C, H, W) only; layer takes inputs of shape (2, 17, 32): '
            'keep the block, or give a recaster of your own that builds its '
            'target')):
        BlockToShortcut().check_fits('layer', (2, 17, 32), io, 'plan.steps')
