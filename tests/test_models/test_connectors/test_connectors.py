# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
import torch

from mmrecast.models import Paraphraser, Translator
from mmrecast.utils.errors import ConfigError


def _params(module) -> float:
    return sum(p.numel() for p in module.parameters()) / 1e6


def test_paraphraser_size_and_shapes():
    assert _params(Paraphraser(2048)) == pytest.approx(132.1, abs=0.05)
    x = torch.randn(2, 64, 8, 8)
    para = Paraphraser(64, rate=0.5)
    assert para.out_channels == 32
    assert para(x).shape == x.shape  # pretrain: the reconstruction
    assert para.encoder(x).shape == (2, 32, 8, 8)


def test_translator_size_and_shapes():
    assert _params(Translator(512, 1024, use_bn=True)) == pytest.approx(
        16.5, abs=0.05)
    assert Translator(16, 8)(torch.randn(2, 16, 4, 4)).shape == (2, 8, 4, 4)


def test_paraphraser_train_phase_is_frozen():
    para = Paraphraser(8, use_bn=True, phase='train')
    assert not any(p.requires_grad for p in para.parameters())
    para.train()
    assert not para.training  # BN statistics stay fixed
    x = torch.randn(2, 8, 4, 4, requires_grad=True)
    factor = para(x)
    assert factor.shape == (2, 4, 4, 4) and not factor.requires_grad


def test_bad_phase():
    with pytest.raises(ConfigError, match="phase='distill'; use 'pretrain'"):
        Paraphraser(8, phase='distill')


@pytest.mark.parametrize('connector', [
    Paraphraser(16), Paraphraser(16, phase='train'), Translator(16, 8)])
def test_a_feature_of_another_width_names_in_channels(connector):
    with pytest.raises(ConfigError, match=r'in_channels=16, but its feature '
                       r'has shape \(2, 32, 4, 4\); set in_channels'):
        connector(torch.randn(2, 32, 4, 4))


@pytest.mark.parametrize('rate', [0, 0.01, None])
def test_a_rate_that_leaves_no_factor_is_named(rate):
    with pytest.raises(ConfigError, match=f'rate={rate!r} leaves no factor'):
        Paraphraser(16, rate=rate)
