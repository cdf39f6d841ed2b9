# Copyright (c) mmrecast contributors. All rights reserved.
"""The reference models have the reference sizes (parameters and MACs
within 1 %)."""
import pytest
import torch
from mmengine.config import Config

from mmrecast.apis import register_all_modules
from mmrecast.registry import MODELS
from mmrecast.utils.complexity import count_macs, count_params
from tests.helpers import config_path

register_all_modules()


class _Logits(torch.nn.Module):
    """An mmpretrain classifier as a plain image -> logits module."""

    def __init__(self, classifier):
        super().__init__()
        self.classifier = classifier

    def forward(self, x):
        return self.classifier(x, mode='tensor')


def _build(config: str):
    return MODELS.build(Config.fromfile(config_path(config)).model)


@pytest.mark.parametrize('config, params_m, macs_m', [
    ('resnet_cifar/resnet56_1xb128_cifar10.py', 0.856, 125.7),
    ('convnet/convnet56_1xb128_cifar10.py', 0.416, 61.8),
    ('densenet/densenet-bc100_1xb64_cifar10.py', 0.769, 288),
    ('vgg/vgg16_1xb128_cifar10.py', 14.99, 313.5),
    ('wrn/wrn28-10_1xb128_cifar10.py', 36.48, 5243),
])
def test_reference_sizes(config, params_m, macs_m):
    model = _build(config)
    params = count_params(model) / 1e6
    macs = count_macs(_Logits(model), (3, 32, 32)) / 1e6
    assert params == pytest.approx(params_m, rel=0.01)
    assert macs == pytest.approx(macs_m, rel=0.01)


def test_batch_norm_can_be_counted():
    model = _Logits(_build('convnet/convnet56_1xb128_cifar10.py'))
    with_bn = count_macs(model, batch_norm=True)
    assert with_bn > count_macs(model)
