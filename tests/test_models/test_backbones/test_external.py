# Copyright (c) mmrecast contributors. All rights reserved.
"""Any importable nn.Module as a teacher, configured from a config."""
import re

import pytest
import torch
import torchvision
from mmengine.config import Config

from mmrecast.apis import register_all_modules
from mmrecast.models import ExternalBackbone
from mmrecast.registry import MODELS
from mmrecast.utils.errors import ConfigError

register_all_modules()

USER_FILE = '''
import torch.nn as nn


class TinyNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())
        self.fc = nn.Linear(8, num_classes)

    def forward(self, x):
        return self.fc(self.features(x).mean((2, 3)))
'''


def _classifier_cfg(**backbone):
    return Config(
        dict(
            model=dict(
                type='ImageClassifier',
                _scope_='mmpretrain',
                backbone=dict(type='mmrecast.ExternalBackbone', **backbone),
                head=dict(
                    type='ClsHead', loss=dict(type='CrossEntropyLoss')))))


def test_torchvision_teacher_with_renamed_keys(tmp_path):
    reference = torchvision.models.resnet18(num_classes=10).eval()
    # saved as a DataParallel model inside a training checkpoint
    torch.save(
        {
            'model': {f'module.{k}': v
                      for k, v in reference.state_dict().items()},
            'epoch': 3
        }, tmp_path / 'teacher.pth')
    cfg = _classifier_cfg(
        module='torchvision.models.resnet18',
        kwargs=dict(num_classes=10),
        checkpoint=str(tmp_path / 'teacher.pth'),
        key_map={'^module\\.': ''})
    model = MODELS.build(cfg.model).eval()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        assert torch.allclose(model(x, mode='tensor'), reference(x))
        scores = model.predict(x)[0].pred_score
    assert scores.shape == (10, ) and torch.isclose(scores.sum(),
                                                    torch.tensor(1.))
    assert isinstance(model.backbone.module.layer1[0],
                      torchvision.models.resnet.BasicBlock)


def test_user_file_module(tmp_path):
    (tmp_path / 'my_net.py').write_text(USER_FILE)
    backbone = ExternalBackbone(
        module=f'{tmp_path}/my_net.py:TinyNet', kwargs=dict(num_classes=4))
    assert backbone(torch.randn(1, 3, 8, 8))[0].shape == (1, 4)
    # built again (a teacher and its student, a second run): the same
    # class, so what was registered on it still applies
    again = ExternalBackbone(
        module=f'{tmp_path}/my_net.py:TinyNet', kwargs=dict(num_classes=4))
    assert type(again.module) is type(backbone.module)


def test_mismatched_weights_are_explained(tmp_path):
    torch.save({'state_dict': {'fc.bias': torch.zeros(1000)}},
               tmp_path / 'names.pth')
    with pytest.raises(ConfigError, match='does not match ResNet.*key_map'):
        ExternalBackbone(
            module='torchvision.models.resnet18',
            checkpoint=str(tmp_path / 'names.pth'))
    torch.save({'state_dict': {'fc.bias': torch.zeros(3)}},
               tmp_path / 'shapes.pth')
    with pytest.raises(ConfigError,
                       match="shapes differ for \\['fc.bias'\\]"):
        ExternalBackbone(
            module='torchvision.models.resnet18',
            checkpoint=str(tmp_path / 'shapes.pth'))


@pytest.mark.parametrize('path, message', [
    ('resnet18', 'use .package.module.Name.'),
    ('torchvision.models.nope', "has no 'nope'; check the spelling"),
    ('torchvizion.models.resnet18', "no module named 'torchvizion'"),
    ('missing_file.py:Net', 'no file missing_file.py; check the path'),
    ('math.pi', 'is a float, not a network class'),
    ('collections.OrderedDict', 'built a OrderedDict, not an nn.Module'),
])
def test_bad_module_paths(path, message):
    with pytest.raises(ConfigError, match=message):
        ExternalBackbone(module=path)


def test_arguments_the_network_does_not_take(tmp_path):
    # torchvision's factories forward **kwargs: found out by the call
    with pytest.raises(ConfigError, match="kwargs has 'num_class', which"):
        ExternalBackbone(module='torchvision.models.resnet18',
                         kwargs=dict(num_class=10))
    (tmp_path / 'my_net.py').write_text(USER_FILE)
    with pytest.raises(ConfigError, match="kwargs=.*'classes'.*signature"):
        ExternalBackbone(module=f'{tmp_path}/my_net.py:TinyNet',
                         kwargs=dict(classes=4))


def test_densenet_config_reads_torchvision_legacy_keys(tmp_path):
    """torchvision's published DenseNet files name layers 'norm.1', not
    'norm1'; the DenseNet-121 recast config's key map renames them."""
    from tests.helpers import config_path
    reference = torchvision.models.densenet121(num_classes=10).eval()
    legacy = {
        re.sub(r'(denselayer\d+\.(norm|relu|conv))(\d)', r'\1.\3', k): v
        for k, v in reference.state_dict().items()
    }
    assert 'features.denseblock1.denselayer1.norm.1.weight' in legacy
    torch.save(legacy, tmp_path / 'densenet.pth')
    recast_cfg = Config.fromfile(
        config_path('recasting/recast_backbone_densenet121_densenet121-'
                    'mixed_8xb32_imagenet_recast.py'))
    backbone = dict(
        recast_cfg.model.teacher.backbone,
        kwargs=dict(num_classes=10),
        checkpoint=str(tmp_path / 'densenet.pth'))
    model = MODELS.build(backbone).eval()
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        assert torch.equal(model(x)[0], reference(x))
