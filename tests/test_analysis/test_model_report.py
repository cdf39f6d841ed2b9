# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
import torch.nn as nn
from mmengine.config import Config

from mmrecast.analysis import block_activation_bytes, profile_model
from mmrecast.models import BasicBlock, ConvBNReLU
from mmrecast.utils.complexity import count_params
from tests.helpers import on_cifar10_folder


class _Net(nn.Module):
    """A classifier-shaped toy: ``forward(x, mode)`` over one block."""

    def __init__(self, block: nn.Module):
        super().__init__()
        self.backbone = nn.Sequential(block)

    def forward(self, x, mode='tensor'):
        return self.backbone(x)


def test_activation_bytes_count_new_storages_per_block():
    # 16 x 8 x 8 floats = 4 kB per layer output
    plain = block_activation_bytes(_Net(ConvBNReLU(16, 16)), (16, 8, 8))
    # conv + BN; the in-place ReLU adds nothing
    assert plain == {'backbone.0': 2 * 4096}
    residual = block_activation_bytes(_Net(BasicBlock(16, 16)), (16, 8, 8))
    # conv1, bn1, conv2, bn2; identity shortcut and in-place ReLUs: nothing
    assert residual == {'backbone.0': 4 * 4096}
    projection = block_activation_bytes(
        _Net(BasicBlock(16, 32, stride=2)), (16, 8, 8))
    # 32 x 4 x 4 floats = 2 kB: conv1, bn1, conv2, bn2, shortcut conv + BN
    assert projection == {'backbone.0': 6 * 2048}


@pytest.mark.slow  # exports a network to ONNX and evaluates it twice
def test_the_onnxruntime_session_of_a_report_lets_idle_workers_sleep(
        tmp_path, cifar10_tiny):
    config = on_cifar10_folder('convnet/convnet20_1xb128_cifar10.py',
                               tmp_path, cifar10_tiny)
    report, _, session = profile_model(
        'convnet20', str(config), None, max_batches=1,
        onnx_file=str(tmp_path / 'convnet20.onnx'), threads=1)
    assert 'accuracy/top1 (onnxruntime)' in report.accuracy
    # compare_models.py times the sessions of all models in turn: spinning
    # idle workers of one would hold the cores while the next is timed
    options = session.get_session_options()
    assert options.get_session_config_entry(
        'session.intra_op.allow_spinning') == '0'


def test_a_report_times_and_counts_the_deployed_model(tmp_path, cifar10_tiny):
    """compare_models.py times in torch the model that profile_model
    returns: a multi-branch (RepVGG) network must come back merged."""
    cfg = Config.fromfile(on_cifar10_folder(
        'convnet/convnet20_1xb128_cifar10.py', tmp_path, cifar10_tiny))
    cfg.model.backbone = dict(
        type='mmpretrain.RepVGG', out_indices=(3, ),
        arch=dict(num_blocks=[1, 1, 1, 1], width_factor=[0.25] * 4,
                  group_layer_map=None, se_cfg=None))
    cfg.model.head.in_channels = 128
    report, model, _ = profile_model('repvgg', cfg, None, max_batches=1)
    assert not any(hasattr(m, 'branch_3x3') for m in model.modules())
    assert any(hasattr(m, 'branch_reparam') for m in model.modules())
    assert report.params == count_params(model)
    assert not model.training
