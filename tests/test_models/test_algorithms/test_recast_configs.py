# Copyright (c) mmrecast contributors. All rights reserved.
"""Every reference recasting config runs 2 iterations of every stage, and
the result is exactly what ``RecastedClassifier`` rebuilds from the config
alone (the path of fine-tuning, resume and export)."""
import copy

import pytest
import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmpretrain.structures import DataSample

from mmrecast.registry import MODELS
from mmrecast.apis import register_all_modules
from tests.helpers import (config_path, detach_weight_files, input_shape,
                           leaf_configs)

register_all_modules()

RECAST_CONFIGS = [c for c in leaf_configs()
                  if c.startswith('recasting/') and '_recast' in c]


@pytest.mark.slow
@pytest.mark.parametrize('config', RECAST_CONFIGS)
def test_every_stage_runs_two_iterations(config):
    cfg = Config.fromfile(config_path(config))
    model_cfg = detach_weight_files(cfg.model.to_dict())
    algo = MODELS.build(model_cfg)
    algo.init_weights()
    classes = 1000 if 'imagenet' in config else 10
    data = dict(
        inputs=[torch.randint(0, 256, input_shape(config), dtype=torch.uint8)
                for _ in range(2)],
        data_samples=[DataSample().set_gt_label(i % classes)
                      for i in range(2)])
    for stage in range(algo.num_stages):
        algo.begin_stage(stage)
        algo.train()
        wrapper = build_optim_wrapper(algo,
                                      copy.deepcopy(cfg.optim_wrapper))
        for _ in range(2):
            log = algo.train_step(data, wrapper)
            assert torch.isfinite(log['loss_recast'])
    rebuilt = MODELS.build(
        dict(
            type='mmrecast.RecastedClassifier',
            architecture=model_cfg['teacher'],
            plan=model_cfg['plan'],
            rebuild_next=algo.mode == 'sequential'))
    rebuilt.load_state_dict(algo.student.state_dict(), strict=True)
