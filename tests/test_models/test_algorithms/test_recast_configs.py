# Copyright (c) mmrecast contributors. All rights reserved.
"""Every reference recasting config trains 2 iterations of every stage
through RecastLoop in a real Runner, and the student it leaves is exactly
what export rebuilds from the config alone (``recasted_student``)."""
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import InfiniteSampler, pseudo_collate
from mmengine.hooks import Hook
from mmengine.runner import Runner
from mmpretrain.structures import DataSample
from torch.utils.data import DataLoader

from mmrecast.apis import register_all_modules, without_weight_files
from mmrecast.models import recasted_student
from mmrecast.registry import MODELS
from tests.helpers import config_path, input_shape, leaf_configs

register_all_modules()

RECAST_CONFIGS = [c for c in leaf_configs()
                  if c.startswith('recasting/') and '_recast' in c]


def _images(config: str, classes: int) -> DataLoader:
    samples = [
        dict(inputs=torch.randint(0, 256, input_shape(config),
                                  dtype=torch.uint8),
             data_samples=DataSample().set_gt_label(i % classes))
        for i in range(2)
    ]
    # infinite: a restarted loader makes mmengine's loop wait 2 s
    return DataLoader(samples, batch_size=2, collate_fn=pseudo_collate,
                      sampler=InfiniteSampler(samples, shuffle=False))


class _LossLog(Hook):
    """The recast loss of every iteration (the message hub keeps only the
    current stage's)."""

    def __init__(self):
        self.values = []

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        self.values.append(float(outputs['loss_recast'].detach()))


@pytest.mark.slow
@pytest.mark.parametrize('config', RECAST_CONFIGS)
def test_every_stage_trains_and_export_rebuilds_the_student(config, tmp_path):
    cfg = Config.fromfile(config_path(config))
    model_cfg = without_weight_files(cfg.model.to_dict())
    classes = 1000 if 'imagenet' in config else 10
    losses = _LossLog()
    runner = Runner(
        model=model_cfg,
        work_dir=str(tmp_path),
        train_dataloader=_images(config, classes),
        train_cfg=dict(type='RecastLoop', iters_per_stage=2,
                       val_each_stage=False),
        optim_wrapper=cfg.optim_wrapper,
        default_hooks=dict(checkpoint=None, logger=None),
        custom_hooks=[losses],
        data_preprocessor=cfg.get('data_preprocessor'),
        default_scope='mmrecast',
        experiment_name=f'recast_configs_{tmp_path.name}')
    runner.train()
    algo = runner.model
    assert runner.iter == 2 * algo.num_stages
    assert int(algo.recast_stage) == algo.num_stages
    assert len(losses.values) == runner.iter and all(
        map(torch.isfinite, torch.tensor(losses.values)))
    rebuilt = MODELS.build(recasted_student(model_cfg))
    rebuilt.load_state_dict(algo.student.state_dict(), strict=True)
