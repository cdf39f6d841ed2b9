# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
import torch
import torch.nn as nn

from mmrecast.apis import register_all_modules
from mmrecast.deployment import (BATCH, ExportError, compare_logits,
                                 export_onnx, export_program, ort_session,
                                 run_session)
from mmrecast.registry import MODELS
from tests.helpers import trained_looking

pytest.importorskip('onnxruntime', reason='the deploy extra')
register_all_modules()


def _classifier(depth: int = 8) -> nn.Module:
    model = MODELS.build(
        dict(
            type='ImageClassifier',
            _scope_='mmpretrain',
            backbone=dict(
                type='mmrecast.CifarResNet', depth=depth, shortcut='A'),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(type='LinearClsHead', num_classes=10, in_channels=64)))
    model.init_weights()
    return model.eval()


class _Stub(nn.Module):
    """A classifier-like module around ``body`` (``mode='tensor'``)."""

    def __init__(self, body: nn.Module):
        super().__init__()
        self.body = body

    def forward(self, inputs, mode='tensor'):
        return self.body(inputs)


class _DataDependent(nn.Module):
    """Control flow on a tensor's values: torch.export cannot trace it."""

    def forward(self, x):
        if x.sum() > 0:
            return x * 2
        return x


def _convs(graph) -> int:
    """The convolutions of a ``torch.export`` graph."""
    return sum('convolution' in str(n.target) or 'conv2d' in str(n.target)
               for n in graph.nodes)


def test_onnxruntime_gives_torch_logits(tmp_path):
    model = _classifier()
    images = torch.randn(4, 3, 32, 32)
    export_onnx(model, images[:1], str(tmp_path / 'm.onnx'))
    with torch.no_grad():
        expected = model(images, mode='tensor')
    # a fixed-batch model is fed one image at a time
    actual = run_session(ort_session(str(tmp_path / 'm.onnx')), images)
    parity = compare_logits(expected, actual)
    assert parity.ok(rtol=1e-4), parity
    assert parity.summary().endswith('top1_agreement=4/4')


def test_dynamic_export_takes_other_batch_and_image_sizes(tmp_path):
    model = _classifier()
    export_onnx(model, torch.randn(1, 3, 32, 32), str(tmp_path / 'd.onnx'),
                dynamic=True)
    session = ort_session(str(tmp_path / 'd.onnx'))
    assert [type(d) for d in session.get_inputs()[0].shape] == \
        [str, int, str, str]
    images = torch.randn(3, 3, 40, 24)
    with torch.no_grad():
        expected = model(images, mode='tensor')
    assert compare_logits(expected, run_session(session, images)).ok(1e-4)


def test_untraceable_module_is_named_by_path_and_type(tmp_path):
    body = nn.Sequential(
        nn.Conv2d(3, 4, 3), nn.Sequential(nn.ReLU(), _DataDependent()),
        nn.AdaptiveAvgPool2d(1), nn.Flatten())
    with pytest.raises(ExportError, match=r'^body\.1\.1 \(_DataDependent\)'):
        export_onnx(_Stub(body).eval(), torch.randn(1, 3, 8, 8),
                    str(tmp_path / 'x.onnx'))
    assert not (tmp_path / 'x.onnx').exists()


def test_an_opset_the_exporter_cannot_write_is_refused(tmp_path):
    """torch's exporter keeps opset 18 when it cannot convert down (here:
    Pad), and says so only in its log: refused, and no file is written."""
    body = nn.Sequential(nn.ZeroPad2d(1), nn.Conv2d(3, 4, 3),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten())
    with pytest.raises(ExportError, match=r'^--opset 17: .*it gave opset '
                       r'18\); give --opset 18 or more'):
        export_onnx(_Stub(body).eval(), torch.randn(1, 3, 8, 8),
                    str(tmp_path / 'x.onnx'), opset=17)
    assert not (tmp_path / 'x.onnx').exists()
    export_onnx(_Stub(body).eval(), torch.randn(1, 3, 8, 8),
                str(tmp_path / 'x.onnx'), opset=18)
    assert (tmp_path / 'x.onnx').exists()


class _WidthLinear(nn.Module):
    """A Linear layer over the image width: the width must stay 8."""

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(8, 10)

    def forward(self, x):
        return self.linear(x).mean(dim=(1, 2))


def test_axis_that_cannot_vary_is_named(tmp_path):
    body = nn.Sequential(nn.Conv2d(3, 2, 1), _WidthLinear())
    with pytest.raises(ExportError) as error:
        export_onnx(_Stub(body).eval(), torch.randn(1, 3, 8, 8),
                    str(tmp_path / 'x.onnx'), dynamic=True)
    message = str(error.value)
    assert message.startswith('--dynamic-export: width (axis 3) cannot vary')
    assert 'batch' not in message and 'height' not in message
    # fixed, it exports
    export_onnx(_Stub(body).eval(), torch.randn(1, 3, 8, 8),
                str(tmp_path / 'x.onnx'))


def test_a_batch_only_export_takes_a_model_of_one_image_size(tmp_path):
    """What timing at batch 1 and 64 needs (compare_models, the model
    report): a ViT fixes its image size, which ``dynamic=True`` refused,
    naming an option compare_models does not have."""
    body = nn.Sequential(nn.Conv2d(3, 2, 1), _WidthLinear())
    export_onnx(_Stub(body).eval(), torch.randn(1, 3, 8, 8),
                str(tmp_path / 'b.onnx'), dynamic=BATCH)
    session = ort_session(str(tmp_path / 'b.onnx'))
    assert [type(d) for d in session.get_inputs()[0].shape] == \
        [str, int, int, int]
    images = torch.randn(3, 3, 8, 8)
    with torch.no_grad():
        expected = body(images)
    assert compare_logits(expected, run_session(session, images)).ok(1e-4)
    program = export_program(_Stub(body).eval(), images[:1], dynamic=BATCH)
    with torch.no_grad():
        assert torch.allclose(program.module()(images), expected, atol=1e-6)


def test_parity_names_the_worst_image():
    expected = torch.tensor([[1.0, 0.0], [0.0, 2.0], [3.0, 0.0]])
    actual = expected.clone()
    actual[1] = torch.tensor([2.5, 2.0])  # flips image 1's top-1
    parity = compare_logits(expected, actual)
    assert (parity.agreement, parity.num_images) == (2, 3)
    assert (parity.worst_index, parity.worst_torch_top1,
            parity.worst_runtime_top1) == (1, 1, 0)
    assert parity.max_abs_diff == 2.5 and parity.scale == 3.0
    assert not parity.ok(rtol=1.0)
    assert compare_logits(expected, expected + 1e-6).ok(rtol=1e-5)
    assert not compare_logits(expected, expected + 1e-3).ok(rtol=1e-4)


def test_external_backbone_teacher_exports(tmp_path):
    """A third-party teacher (torchvision, through ExternalBackbone)."""
    model = MODELS.build(
        dict(
            type='ImageClassifier',
            _scope_='mmpretrain',
            backbone=dict(
                type='mmrecast.ExternalBackbone',
                module='torchvision.models.resnet18',
                kwargs=dict(num_classes=10)),
            head=dict(type='ClsHead'))).eval()
    images = torch.randn(2, 3, 32, 32)
    export_onnx(model, images[:1], str(tmp_path / 'tv.onnx'), dynamic=True)
    with torch.no_grad():
        expected = model(images, mode='tensor')
    actual = run_session(ort_session(str(tmp_path / 'tv.onnx')), images)
    assert compare_logits(expected, actual).ok(rtol=1e-4)


def test_exported_programs_fold_projections_into_the_next_conv():
    """A narrow conv's 1x1 projection is folded into the plain conv after
    it: one conv fewer in the program, the same logits."""
    from mmrecast.deployment import export_program
    from mmrecast.models.blocks import ConvBNReLU, NarrowConv
    model = _classifier()
    model.backbone.layer1[0] = NarrowConv(16, 8, 16)
    model.backbone.layer2[0] = ConvBNReLU(16, 32, stride=2)
    model.eval()
    images = torch.randn(2, 3, 32, 32)
    program = export_program(model, images)

    unfolded = torch.export.export(
        _Stub(model), (images, )).graph
    assert _convs(program.graph) == _convs(unfolded) - 1
    with torch.no_grad():
        torch.testing.assert_close(program.module()(images),
                                   model(images, mode='tensor'))


def test_exported_programs_merge_repvgg_branches_into_one_conv():
    """A RepVGG block trains as three branches (a 3x3 and a 1x1 conv, a BN)
    and exports as one conv: one conv fewer, the same logits."""
    from mmrecast.deployment import export_program
    from mmrecast.models import BasicBlockToRepVGG
    model = _classifier()
    block = model.backbone.layer1[0]
    model.backbone.layer1[0] = BasicBlockToRepVGG().build_target(
        block, torch.Generator().manual_seed(0))
    trained_looking(model.backbone.layer1[0])
    model.eval()
    images = torch.randn(2, 3, 32, 32)
    program = export_program(model, images)

    unmerged = torch.export.export(_Stub(model), (images, )).graph
    assert _convs(program.graph) == _convs(unmerged) - 1
    with torch.no_grad():
        torch.testing.assert_close(program.module()(images),
                                   model(images, mode='tensor'))
