# Copyright (c) mmrecast contributors. All rights reserved.
import torch
import torch.nn as nn
from mmengine.model import BaseModel
from mmengine.runner import Runner

from mmrecast.engine.hooks import channels_last_batch
from tests.helpers import CountMetric

CHANNELS_LAST = torch.channels_last


class _Conv(BaseModel):
    """A conv net that notes the layout of each batch and of its conv's
    output, by mode."""

    def __init__(self):
        super().__init__(data_preprocessor=dict(type='ImgDataPreprocessor'))
        self.conv = nn.Conv2d(3, 4, 3)
        self.seen = []

    def forward(self, inputs, data_samples=None, mode='loss'):
        out = self.conv(inputs)
        self.seen.append((mode, inputs.is_contiguous(
            memory_format=CHANNELS_LAST), out.is_contiguous(
                memory_format=CHANNELS_LAST)))
        if mode == 'loss':
            return dict(loss=out.pow(2).mean())
        return [dict() for _ in range(len(inputs))]


def _loader():
    return dict(
        dataset=[dict(inputs=torch.rand(3, 8, 8)) for _ in range(4)],
        sampler=dict(type='DefaultSampler', shuffle=False),
        collate_fn=dict(type='pseudo_collate'),
        batch_size=2)


def test_the_whole_run_sees_channels_last_batches(tmp_path):
    model = _Conv()
    runner = Runner(
        model=model,
        work_dir=str(tmp_path),
        train_dataloader=_loader(),
        train_cfg=dict(by_epoch=False, max_iters=2, val_interval=2),
        val_dataloader=_loader(),
        val_cfg=dict(),
        val_evaluator=dict(type=CountMetric),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)),
        default_hooks=dict(checkpoint=dict(
            type='CheckpointHook', by_epoch=False, interval=2)),
        custom_hooks=[dict(type='ChannelsLastHook')],
        default_scope='mmrecast')
    runner.train()
    modes = [mode for mode, _, _ in model.seen]
    assert modes == ['loss', 'loss', 'predict', 'predict']
    assert all(batch and out for _, batch, out in model.seen)
    # the parameters keep their layout; the hook is gone after the run
    assert model.conv.weight.is_contiguous()
    batch = model.data_preprocessor(dict(inputs=[torch.rand(3, 8, 8)]))
    assert not batch['inputs'].is_contiguous(memory_format=CHANNELS_LAST)


def test_only_a_batch_of_images_changes_layout():
    images = torch.rand(2, 3, 4, 4)
    out = channels_last_batch(None, (), dict(inputs=images, data_samples=1))
    assert out['inputs'].is_contiguous(memory_format=CHANNELS_LAST)
    assert torch.equal(out['inputs'], images) and out['data_samples'] == 1
    vectors = torch.rand(2, 3)
    assert channels_last_batch(None, (), dict(inputs=vectors))[
        'inputs'] is vectors
    assert channels_last_batch(None, (), [images]) == [images]


def test_a_run_without_the_hook_keeps_the_default_layout(tmp_path):
    model = _Conv()
    Runner(
        model=model,
        work_dir=str(tmp_path),
        train_dataloader=_loader(),
        train_cfg=dict(by_epoch=False, max_iters=1),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)),
        default_scope='mmrecast').train()
    assert model.seen == [('loss', False, False)]
