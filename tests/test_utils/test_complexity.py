# Copyright (c) mmrecast contributors. All rights reserved.
"""Costs counted per block from one trace agree with each block counted
alone."""
import pytest
import torch
import torch.nn as nn
import torchvision
from mmengine.config import Config

from mmrecast.apis import register_all_modules
from mmrecast.models.recasters import probe_io
from mmrecast.registry import MODELS
from mmrecast.utils.complexity import count_macs, macs_by_module
from tests.helpers import config_path

register_all_modules()


def test_one_trace_counts_every_block_as_if_alone():
    model = MODELS.build(
        Config.fromfile(config_path('resnet_cifar/resnet20_1xb128_'
                                    'cifar10.py')).model).eval()
    # the first two blocks of each stage (layer2.0, layer3.0 downsample)
    names = [f'backbone.layer{s}.{b}' for s in (1, 2, 3) for b in (0, 1)]
    # each block's input shape, from one forward
    shapes = {name: shape[1:] for name, (_, shape) in probe_io(
        model, names, torch.zeros(1, 3, 32, 32)).items()}
    counted = macs_by_module(model, (3, 32, 32))
    assert counted[''] == count_macs(model, (3, 32, 32))
    for name in names:
        block = model.get_submodule(name)
        alone = count_macs(block, shapes[name])
        assert alone > 0 and counted[name] == alone, name
    assert counted['no.such.module'] == 0


@pytest.mark.parametrize('gradients', [True, False])
def test_attention_is_counted_with_its_projections(gradients):
    """fvcore's rules count neither scaled-dot-product attention nor
    torch's fused multi-head attention (eval mode, no gradients, as a
    frozen teacher runs): a ViT layer counted its MLP alone, half."""
    tokens, width, hidden = 65, 192, 384
    layer = torchvision.models.vision_transformer.EncoderBlock(
        num_heads=4, hidden_dim=width, mlp_dim=hidden, dropout=0.0,
        attention_dropout=0.0).requires_grad_(gradients)
    linear = tokens * width * (3 * width + width + 2 * hidden)
    attention = 2 * tokens * tokens * width  # q k^T and the sum of v
    norms = 2 * count_macs(nn.LayerNorm(width), (tokens, width))
    assert count_macs(layer, (tokens, width)) == linear + attention + norms
