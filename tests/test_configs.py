# Copyright (c) mmrecast contributors. All rights reserved.
"""Every config under configs/ builds and trains one step: a classifier on
its own loss, an algorithm on its losses (teacher weights and stage
hand-over come from earlier runs: detached here)."""
import pytest
import torch
from mmengine.config import Config
from mmpretrain.structures import DataSample

from mmrecast.apis import register_all_modules, without_weight_files
from mmrecast.models import CandidateLibrary, StagedAlgorithm
from mmrecast.registry import MODELS
from mmrecast.utils.errors import ConfigError
from tests.helpers import config_path, input_shape, leaf_configs

register_all_modules()


def _classes(model_cfg: dict) -> int:
    head = model_cfg.get('head') or model_cfg.get('student', {}).get(
        'head') or model_cfg.get('teacher', {}).get('head') or {}
    return head.get('num_classes', 10)


@pytest.mark.parametrize('config', leaf_configs())
def test_config_builds_and_trains_a_step(config):
    cfg = Config.fromfile(config_path(config))
    model_cfg = without_weight_files(cfg.model.to_dict())
    model = MODELS.build(model_cfg)
    model.init_weights()
    if isinstance(model, StagedAlgorithm):  # driven by RecastLoop
        model.begin_stage(0)
    model.train()
    classes = _classes(model_cfg)
    inputs = torch.randn(2, *input_shape(config))
    # the metainfo crop_flip_collate leaves (a teacher logit cache reads it)
    samples = [
        DataSample(metainfo=dict(sample_idx=i, flip=False, crop_shift=(0, 0)))
        .set_gt_label(i % classes) for i in range(2)
    ]
    if isinstance(model, CandidateLibrary) and not model.trained:
        # removals alone: searched from the teacher, never trained
        with pytest.raises(ConfigError, match='recast_search.py CONFIG$'):
            model(inputs, samples, mode='loss')
        return
    loss, log = model.parse_losses(model(inputs, samples, mode='loss'))
    if any(p.requires_grad for p in model.parameters()):
        loss.backward()
    else:  # removals alone: RecastLoop measures the loss, trains nothing
        assert not loss.requires_grad
    assert torch.isfinite(loss)
    if model_cfg['type'].endswith('ImageClassifier'):
        model.eval()
        with torch.no_grad():
            logits = model(inputs, mode='tensor')
        assert logits.shape == (2, classes)
    else:
        assert len(log) >= 2  # the total and at least one named loss
