# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
import torch
import torch.nn as nn
from mmengine.logging import MMLogger

from mmrecast.models import CifarResNet, FeatureRecorder
from mmrecast.models.utils import InferenceCopy
from .test_conv_bn_folding import _randomise_bn


@pytest.fixture
def warnings_logged(monkeypatch):
    messages = []
    monkeypatch.setattr(MMLogger.get_current_instance(), 'warning',
                        messages.append)
    return messages


def _check_same(copy, model, x):
    with torch.no_grad():
        torch.testing.assert_close(copy(x), model(x), rtol=1e-4, atol=1e-4)


def test_twin_is_folded_channels_last_and_computes_the_same():
    model = _randomise_bn(CifarResNet(20))
    copy = InferenceCopy(model)
    twin = copy.twin
    assert not any(isinstance(m, nn.BatchNorm2d) for m in twin.modules())
    assert all(
        p.is_contiguous(memory_format=torch.channels_last)
        for p in twin.parameters() if p.dim() == 4)
    assert any(isinstance(m, nn.BatchNorm2d) for m in model.modules())
    _check_same(copy, model, torch.randn(2, 3, 32, 32))
    assert copy.twin is twin  # cached while nothing changes


def test_recorders_on_the_module_fire_in_the_twin():
    model = _randomise_bn(CifarResNet(20))
    copy = InferenceCopy(model)
    copy.twin  # built before the recorder exists: hooks are shared
    recorder = FeatureRecorder(model, dict(conv='layer2.0.conv1',
                                           block='layer2.0'))
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        recorder.run(copy, x, stop_after=['conv', 'block'])
        twin_records = dict(recorder.outputs)
        recorder.run(model, x)
    for name in ('conv', 'block'):
        # the recorded conv is not folded: its value is the pre-BN output
        torch.testing.assert_close(twin_records[name], recorder[name],
                                   rtol=1e-4, atol=1e-4)
        assert twin_records[name].is_contiguous()


def test_twin_follows_weight_changes():
    model = _randomise_bn(CifarResNet(20))
    copy = InferenceCopy(model)
    x = torch.randn(2, 3, 32, 32)
    first = copy.twin
    other = _randomise_bn(CifarResNet(20))
    other.layer3[2].bn2.running_mean.add_(3)
    model.load_state_dict(other.state_dict())
    assert copy.twin is not first
    _check_same(copy, model, x)


def test_forward_without_channels_last_falls_back_once(warnings_logged):

    class Flat(nn.Module):

        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 3, padding=1)
            self.fc = nn.Linear(4 * 8 * 8, 2)

        def forward(self, x):
            x = self.conv(x)
            return self.fc(x.view(x.size(0), -1))  # needs NCHW

    model = Flat().eval()
    copy = InferenceCopy(model, name='flat teacher')
    _check_same(copy, model, torch.randn(2, 3, 8, 8))
    assert not copy.channels_last
    assert len(warnings_logged) == 1
    assert warnings_logged[0].startswith(
        'flat teacher: runs in the default memory layout')
    _check_same(copy, model, torch.randn(2, 3, 8, 8))


def test_untraceable_forward_is_run_unfolded(warnings_logged):

    class DataDependent(nn.Module):

        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 3, 1)
            self.bn = nn.BatchNorm2d(3)

        def forward(self, x):
            if x.sum() > 0:  # torch.fx cannot trace this
                x = -x
            return self.bn(self.conv(x))

    model = _randomise_bn(DataDependent())
    copy = InferenceCopy(model)
    _check_same(copy, model, torch.randn(2, 3, 4, 4))
    assert isinstance(copy.twin.bn, nn.BatchNorm2d)
    assert len(warnings_logged) == 1
    assert warnings_logged[0].startswith(
        'teacher: BN not folded into convs, torch.fx cannot trace')


def test_real_teacher_on_real_images_predicts_the_same(tmp_path):
    """The converted akamaster ResNet-44 on the 1,017 real CIFAR-10 test
    images: its twin gives the module's logits and predictions."""
    from mmengine.config import Config
    from mmengine.runner import Runner

    from mmrecast.registry import MODELS
    from mmrecast.utils import load_checkpoint_file, register_all_modules
    from tests.helpers import (config_path, find_checkpoint, find_data,
                               run_tool)
    register_all_modules()
    weights = tmp_path / 'resnet44.pth'
    proc = run_tool([
        'model_converters/akamaster_resnet_to_mmrecast.py',
        find_checkpoint('resnet44-'), weights
    ], cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-2000:]
    cfg = Config.fromfile(
        config_path('resnet_cifar', 'resnet44_akamaster_cifar10-folder.py'))
    cfg.test_dataloader.dataset.data_root = str(find_data('cifar10'))
    cfg.test_dataloader.num_workers = 0
    model = MODELS.build(cfg.model).eval()
    model.load_state_dict(load_checkpoint_file(weights)['state_dict'])
    copy = InferenceCopy(model, dict(mode='tensor'))
    same, total = 0, 0
    with torch.no_grad():
        for batch in Runner.build_dataloader(cfg.test_dataloader):
            x = model.data_preprocessor(batch)['inputs']
            plain = model(x, mode='tensor')
            fast = copy(x, mode='tensor')
            torch.testing.assert_close(fast, plain, rtol=1e-3, atol=1e-3)
            same += (fast.argmax(1) == plain.argmax(1)).sum().item()
            total += len(x)
    assert total == 1017
    assert same == total


def test_hooks_on_blocks_reuse_the_twin_hooks_on_folded_modules_rebuild():
    model = _randomise_bn(CifarResNet(20))
    copy = InferenceCopy(model)
    first = copy.twin
    FeatureRecorder(model, dict(block='layer2.0'))
    assert copy.twin is first  # the twin shares the new hook
    recorder = FeatureRecorder(model, dict(bn='layer3.1.bn2'))
    rebuilt = copy.twin
    assert rebuilt is not first
    assert isinstance(rebuilt.layer3[1].bn2, nn.BatchNorm2d)  # not folded
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        recorder.run(copy, x)
        fast = recorder['bn']
        recorder.run(model, x)
    torch.testing.assert_close(fast, recorder['bn'], rtol=1e-4, atol=1e-4)
