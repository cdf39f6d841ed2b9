# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
import torch
import torch.nn as nn
from mmengine.logging import MMLogger

from mmrecast.models import CifarResNet, FeatureRecorder, RecastPlan
from mmrecast.models.utils import InferenceCopy
from mmrecast.registry import MODELS
from tests.helpers import RESNET20
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


def test_depthwise_separable_blocks_fold_too():
    model = MODELS.build(RESNET20)
    RecastPlan(steps=[dict(blocks='backbone.layer*.*',
                           recaster=dict(type='BasicBlockToSeparableConv'))
                      ]).apply(model)
    model = _randomise_bn(model.eval())
    copy = InferenceCopy(model)
    assert not any(isinstance(m, nn.BatchNorm2d)
                   for m in copy.twin.modules())
    _check_same(copy, model, torch.randn(2, 3, 32, 32))


def test_tracked_recorders_fire_in_the_twin_and_keep_their_modules():
    model = _randomise_bn(CifarResNet(20))
    copy = InferenceCopy(model)
    first = copy.twin
    assert isinstance(first.layer2[0].bn1, nn.Identity)  # folded
    recorder = FeatureRecorder(copy.twin, dict(conv='layer2.0.conv1',
                                               block='layer2.0'))
    copy.track(recorder)
    assert copy.twin is not first  # rebuilt: the recorded conv is kept
    assert isinstance(copy.twin.layer2[0].bn1, nn.BatchNorm2d)
    reference = FeatureRecorder(model, recorder.sources)
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        recorder.run(copy, x, stop_after=['conv', 'block'])
        reference.run(model, x)
    for name in ('conv', 'block'):
        # the recorded conv is not folded: its value is the pre-BN output
        torch.testing.assert_close(recorder[name], reference[name],
                                   rtol=1e-4, atol=1e-4)
        assert recorder[name].is_contiguous()


def test_twin_follows_invalidation_and_device_changes():
    model = _randomise_bn(CifarResNet(20))
    copy = InferenceCopy(model)
    x = torch.randn(2, 3, 32, 32)
    first = copy.twin
    other = _randomise_bn(CifarResNet(20))
    other.layer3[2].bn2.running_mean.add_(3)
    model.load_state_dict(other.state_dict())
    assert copy.twin is first  # the owner says when weights change
    copy.invalidate()
    assert copy.twin is not first
    _check_same(copy, model, x)
    second = copy.twin
    model.double()
    assert copy.twin is not second
    assert next(copy.twin.parameters()).dtype == torch.float64


def test_algorithm_rebuilds_the_twin_after_loading_weights():
    from mmrecast.models import SingleTeacherDistill
    from .test_conv_bn_folding import _randomise_bn as randomise
    teacher = dict(
        type='ImageClassifier', _scope_='mmpretrain',
        backbone=dict(type='mmrecast.CifarResNet', depth=20),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=10, in_channels=64))
    algo = SingleTeacherDistill(
        student=teacher, teacher=teacher,
        distill_losses=dict(loss_kd=dict(type='KDLoss', student='logits',
                                         teacher='logits')))
    first = algo.teacher_twin.twin
    state = algo.state_dict()
    randomise(algo.teacher)
    state.update({f'teacher.{k}': v
                  for k, v in algo.teacher.state_dict().items()})
    algo.load_state_dict(state)
    assert algo.teacher_twin.twin is not first
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        torch.testing.assert_close(
            algo.teacher_runner()(x, mode='tensor'),
            algo.teacher(x, mode='tensor'), rtol=1e-4, atol=1e-4)


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


@pytest.mark.slow
def test_real_teacher_on_real_images_predicts_the_same(tmp_path):
    """The converted akamaster ResNet-44 on the 1,017 real CIFAR-10 test
    images: its twin gives the module's logits and predictions."""
    from mmengine.config import Config
    from mmengine.runner import Runner

    from mmrecast.apis import register_all_modules
    from mmrecast.registry import MODELS
    from mmrecast.utils import load_checkpoint_file
    from tests.helpers import config_path, find_checkpoint, find_data, run_tool
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


def test_recorders_on_blocks_reuse_the_twin_on_folded_modules_rebuild():
    model = _randomise_bn(CifarResNet(20))
    copy = InferenceCopy(model)
    first = copy.twin
    copy.track(FeatureRecorder(copy.twin, dict(block='layer2.0')))
    assert copy.twin is first  # nothing folded inside needs to change
    recorder = FeatureRecorder(copy.twin, dict(bn='layer3.1.bn2'))
    copy.track(recorder)
    rebuilt = copy.twin
    assert rebuilt is not first
    assert isinstance(rebuilt.layer3[1].bn2, nn.BatchNorm2d)  # not folded
    reference = FeatureRecorder(model, dict(bn='layer3.1.bn2'))
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        recorder.run(copy, x)
        reference.run(model, x)
    torch.testing.assert_close(recorder['bn'], reference['bn'], rtol=1e-4,
                               atol=1e-4)
    recorder.remove()
    copy.invalidate()
    assert isinstance(copy.twin.layer3[1].bn2, nn.Identity)  # folded again
