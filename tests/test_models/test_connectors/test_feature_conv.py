# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
import torch
import torch.nn as nn

from mmrecast.models import FeatureConv2d, FeatureConvTranspose2d
from mmrecast.models.connectors import feature_conv


@pytest.mark.parametrize('plain_type,feature_type,kernel,padding,bias', [
    (nn.Conv2d, FeatureConv2d, 3, 1, True),
    (nn.Conv2d, FeatureConv2d, 3, 0, False),
    (nn.Conv2d, FeatureConv2d, 5, 1, True),
    (nn.Conv2d, FeatureConv2d, 1, 0, True),
    (nn.ConvTranspose2d, FeatureConvTranspose2d, 3, 1, True),
    (nn.ConvTranspose2d, FeatureConvTranspose2d, 3, 0, False),
])
def test_same_outputs_and_gradients_as_the_plain_layer(
        plain_type, feature_type, kernel, padding, bias, monkeypatch):
    # small layers, with the custom path forced on (it starts at 1024 x 1024)
    monkeypatch.setattr(feature_conv, '_MIN_CHANNEL_PRODUCT', 0)
    called = []
    original = feature_conv._Conv2dTapWeightGrad.backward
    monkeypatch.setattr(feature_conv._Conv2dTapWeightGrad, 'backward',
                        staticmethod(lambda *a: called.append(1) or
                                     original(*a)))
    torch.manual_seed(0)
    plain = plain_type(6, 5, kernel, 1, padding, bias=bias).double()
    feature = feature_type(6, 5, kernel, 1, padding, bias=bias).double()
    feature.load_state_dict(plain.state_dict())  # same parameter layout
    results = []
    for layer in (plain, feature):
        x = torch.randn(
            3, 6, 4, 5, dtype=torch.float64,
            generator=torch.Generator().manual_seed(1)).requires_grad_()
        out = layer(x)
        (out * torch.arange(out.numel()).view_as(out)).sum().backward()
        grads = [x.grad] + [p.grad for p in layer.parameters()]
        results.append((out, grads))
    (out_a, grads_a), (out_b, grads_b) = results
    if feature_type is FeatureConvTranspose2d:  # stored in conv layout
        grads_b[1] = feature_conv._swap_layout(grads_b[1])
    torch.testing.assert_close(out_b, out_a)
    assert len(grads_a) == len(grads_b) == (3 if bias else 2)
    for grad_a, grad_b in zip(grads_a, grads_b):
        torch.testing.assert_close(grad_b, grad_a)
    assert called  # the weight gradient came from the custom function


def test_no_grad_forward_matches():
    plain = nn.ConvTranspose2d(4, 4, 3, 1, 1)
    feature = FeatureConvTranspose2d(4, 4, 3, 1, 1)
    feature.load_state_dict(plain.state_dict())
    x = torch.randn(2, 4, 3, 3)
    with torch.no_grad():
        torch.testing.assert_close(feature(x), plain(x))


@pytest.mark.parametrize('kwargs', [
    dict(stride=2), dict(dilation=2), dict(groups=2),
    dict(padding_mode='reflect')
])
def test_unsupported_layouts_are_refused(kwargs):
    with pytest.raises(ValueError, match='stride 1'):
        FeatureConv2d(4, 4, 3, padding=1, **kwargs)


def test_transposed_checkpoints_use_the_plain_layout():
    feature = FeatureConvTranspose2d(4, 6, 3, 1, 1)
    plain = nn.ConvTranspose2d(4, 6, 3, 1, 1)
    plain.load_state_dict(feature.state_dict())  # (in, out, k, k) outside
    feature.load_state_dict(plain.state_dict())
    assert feature.state_dict()['weight'].shape == (4, 6, 3, 3)
    x = torch.randn(2, 4, 5, 5)
    torch.testing.assert_close(feature(x), plain(x))


def test_complexity_analysis_traces_the_connectors():
    """mmengine's FLOP counter traces the model: the custom autograd path
    and the layout hooks must not get in its way."""
    from mmrecast.models import Paraphraser
    from mmrecast.utils.complexity import count_macs
    para = Paraphraser(8, rate=0.5)  # 8 -> 8 -> 4 -> 4 -> 4 -> 8 -> 8
    per_position = 9 * (8 * 8 + 8 * 4 + 4 * 4) * 2
    assert count_macs(para, (8, 3, 3)) == per_position * 9


@pytest.mark.parametrize('size,custom', [(8, True), (9, False)])
def test_tap_gradient_is_used_on_small_maps_only(size, custom, monkeypatch):
    monkeypatch.setattr(feature_conv, '_MIN_CHANNEL_PRODUCT', 0)
    called = []
    monkeypatch.setattr(feature_conv, '_weight_grad_by_taps',
                        lambda *a: called.append(1) or torch.zeros(4, 4, 3,
                                                                   3))
    conv = FeatureConv2d(4, 4, 3, padding=1)
    conv(torch.randn(1, 4, size, size)).sum().backward()
    assert bool(called) is custom
