# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
import torch
from mmengine.config import Config

from mmrecast.apis import export_student, merged_student
from mmrecast.apis.export import student_model_config
from mmrecast.apis.merged_student import merged_equivalent
from mmrecast.models.utils import reparameterized
from mmrecast.registry import MODELS
from tests.helpers import config_path, trained_looking

_C20 = ('recast_backbone_resnet20-akamaster_convnet20_1xb64_cifar10-folder'
        '_finetune-parallel_sgd-warmup_bf16_cached-teacher')
REPVGG = config_path('recasting', f'{_C20}_repvgg.py')
CONVS = config_path('recasting', f'{_C20}.py')


def _student(path):
    """The run's student config and trained-looking weights of it."""
    cfg = Config.fromfile(path)
    model_cfg = student_model_config(cfg.model.to_dict())
    return cfg, model_cfg, trained_looking(MODELS.build(model_cfg))


def _assert_same(a, b):
    """Equal up to float32 rounding at the outputs' scale (random weights
    give large outputs)."""
    torch.testing.assert_close(a, b, rtol=1e-4,
                               atol=1e-4 * float(b.abs().max()))


def test_a_repvgg_student_is_given_as_its_merged_form():
    _, model_cfg, student = _student(REPVGG)
    deployed_cfg, weights = merged_equivalent(model_cfg, student)
    recaster = deployed_cfg['plan']['steps'][0]['recaster']
    assert recaster == dict(type='BasicBlockToRepVGG', deploy=True)
    assert model_cfg['plan']['steps'][0]['recaster'].get('deploy') is None
    deployed = MODELS.build(deployed_cfg).eval()
    deployed.load_state_dict(weights, strict=True)
    convs = [k for k in weights if k.endswith('.weight') and
             weights[k].dim() == 4]
    assert len(convs) == 1 + 9  # the stem and one conv per block
    images = torch.randn(4, 3, 32, 32)
    with torch.no_grad():
        _assert_same(deployed(images, mode='tensor'),
                     student(images, mode='tensor'))


def test_a_student_without_branches_has_no_merged_form():
    _, model_cfg, student = _student(CONVS)
    assert merged_equivalent(model_cfg, student) is None


def test_the_exported_repvgg_student_is_merged_and_says_so(tmp_path):
    cfg, _, student = _student(REPVGG)
    run = tmp_path / 'run.pth'
    torch.save(dict(state_dict={f'student.{k}': v
                                for k, v in student.state_dict().items()}),
               run)
    config, weights = export_student(cfg, str(run), str(tmp_path / 'out'))
    text = open(config).read()
    assert 'merged for inference (deploy=True)' in text
    exported = Config.fromfile(config)
    assert exported.model.plan.steps[0].recaster.deploy is True
    model = MODELS.build(exported.model).eval()
    model.load_state_dict(torch.load(weights)['state_dict'], strict=True)
    images = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        _assert_same(model(images, mode='tensor'),
                     student(images, mode='tensor'))


@pytest.mark.parametrize('backbone, channels', [
    (dict(type='RepVGG', out_indices=(3, ),
          arch=dict(num_blocks=[1, 1, 1, 1], width_factor=[0.25] * 4,
                    group_layer_map=None, se_cfg=None)), 128),
    (dict(type='MobileOne', arch='s0', out_indices=(3, )), 1024),
])
def test_a_backbone_with_a_deploy_argument_is_given_merged(
        backbone, channels):
    model_cfg = dict(
        type='ImageClassifier', _scope_='mmpretrain', backbone=backbone,
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=10,
                  in_channels=channels))
    student = trained_looking(MODELS.build(model_cfg))
    deployed_cfg, weights = merged_equivalent(model_cfg, student)
    assert deployed_cfg['backbone']['deploy'] is True
    deployed = MODELS.build(deployed_cfg).eval()
    deployed.load_state_dict(weights, strict=True)
    assert len(weights) < len(student.state_dict()) / 2  # branches gone
    images = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        _assert_same(deployed(images, mode='tensor'),
                     student(images, mode='tensor'))


def test_a_merge_that_changes_the_outputs_is_not_exported(monkeypatch):
    _, model_cfg, student = _student(REPVGG)

    def off(model):  # a merge that gets one bias wrong
        merged = reparameterized(model)
        merged.backbone.layer1[0].branch_reparam.bias.data += 1
        return merged

    monkeypatch.setattr(merged_student, 'reparameterized', off)
    assert merged_equivalent(model_cfg, student) is None
