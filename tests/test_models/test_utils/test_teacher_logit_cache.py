# Copyright (c) mmrecast contributors. All rights reserved.
import numpy as np
import pytest
import torch
from mmengine.structures import BaseDataElement

from mmrecast.datasets import crop_flip_collate
from mmrecast.models.utils import TeacherLogitCache
from mmrecast.utils.errors import ConfigError


class _Teacher:
    """A fixed linear map that counts the images it sees. Its weights are
    small integers, so its logits are exact in float32 whatever the batch:
    a float matmul may sum in another order for another batch size (up to
    2e-4 apart here; allclose failed once in CI)."""

    def __init__(self):
        self.weight = torch.randint(
            -3, 4, (3 * 4 * 4, 5),
            generator=torch.Generator().manual_seed(0)).float()
        self.seen = 0

    def __call__(self, images):
        self.seen += len(images)
        return images.flatten(1).float() @ self.weight


IMAGES = torch.randint(0, 256, (20, 3, 4, 4), dtype=torch.uint8)


def _samples(indices, padding=0, shifts=None):
    """Packed samples of fixed images, through the real collate."""
    batch = crop_flip_collate([
        dict(inputs=IMAGES[i], data_samples=BaseDataElement(
            metainfo=dict(sample_idx=i))) for i in indices
    ], padding=padding, flip_prob=0.5, shifts=shifts)
    return batch['inputs'], batch['data_samples']


def test_each_view_runs_the_teacher_once_and_keeps_its_logits():
    teacher, cache = _Teacher(), TeacherLogitCache()
    inputs, samples = _samples(range(8))
    assert torch.equal(cache(teacher, inputs, samples), teacher(inputs))
    assert cache.computed == 8
    # the same views again: answered from the cache, the same logits
    seen = teacher.seen
    assert torch.equal(cache(teacher, inputs, samples), teacher(inputs))
    assert teacher.seen == seen + 8  # only the reference call above
    assert cache.computed == 8
    # images 8..19 are new (the cache grows); 0..7 are drawn again with
    # new flips, and only the views not seen before run the teacher
    more, more_samples = _samples(list(range(20)))
    seen_views = set(cache.views)
    new = sum((s.sample_idx, (0, 0), s.flip) not in seen_views
              for s in more_samples)
    assert 8 < new < 20
    assert torch.equal(cache(teacher, more, more_samples), teacher(more))
    assert cache.computed == 8 + new


def test_a_flip_or_a_shift_is_its_own_view():
    views = [
        BaseDataElement(metainfo=dict(sample_idx=i, flip=f, crop_shift=s))
        for i in (0, 3) for s in ((0, 0), (2, -2)) for f in (False, True)
    ]
    cache = TeacherLogitCache()
    assert cache.view_keys(views).tolist() == list(range(8))
    assert cache.view_keys(views[::-1]).tolist() == list(range(8))[::-1]
    # an image is named by its file where it has one: two datasets'
    # sample 0 are two images
    files = [
        BaseDataElement(metainfo=dict(sample_idx=0, img_path=f'{d}/a.png',
                                      flip=True, crop_shift=(0, 0)))
        for d in ('one', 'two', 'one')
    ]
    assert TeacherLogitCache().view_keys(files).tolist() == [0, 1, 0]


def test_views_of_a_few_shifts_are_cached_with_their_own_logits():
    teacher, cache = _Teacher(), TeacherLogitCache()
    shifts = [(0, 0), (-1, 1)]
    np.random.seed(0)
    for _ in range(30):  # 4 views per image, all drawn by the end
        inputs, samples = _samples(range(20), padding=1, shifts=shifts)
        assert {s.crop_shift for s in samples} == set(shifts)
        # a shifted view's logits are its own, not another view's
        assert torch.equal(cache(teacher, inputs, samples), teacher(inputs))
    assert cache.computed == len(cache.views) == 20 * 4


@pytest.mark.parametrize('meta, says', [
    (dict(sample_idx=0, flip=False), 'crop_shift'),
    (dict(sample_idx=0), 'crop_flip_collate'),
    (dict(flip=True, crop_shift=(0, 0)), 'sample_idx metainfo'),
])
def test_refuses_views_it_cannot_name(meta, says):
    with pytest.raises(ConfigError, match=says):
        TeacherLogitCache().view_keys([BaseDataElement(metainfo=meta)])


def test_the_collate_records_the_shift_and_flip_it_drew():
    images = torch.arange(2 * 3 * 4 * 4, dtype=torch.uint8).view(2, 3, 4, 4)
    for _ in range(20):
        batch = crop_flip_collate([
            dict(inputs=img, data_samples=BaseDataElement(
                metainfo=dict(sample_idx=i))) for i, img in enumerate(images)
        ], padding=0, flip_prob=0.5)
        for image, sample, out in zip(images, batch['data_samples'],
                                      batch['inputs']):
            assert sample.crop_shift == (0, 0)
            assert torch.equal(out, image.flip(-1) if sample.flip else image)
    batch = crop_flip_collate([
        dict(inputs=images[0], data_samples=BaseDataElement())
        for _ in range(64)
    ], padding=2)
    shifts = {s.crop_shift for s in batch['data_samples']}
    assert len(shifts) > 5 and all(
        -2 <= dy <= 2 and -2 <= dx <= 2 for dy, dx in shifts)


def _in_two_processes(rank: int, init_file: str) -> None:
    """One process of a 2-process job: each draws its own four images,
    then all eight."""
    torch.distributed.init_process_group(
        'gloo', init_method=f'file://{init_file}', rank=rank, world_size=2)
    try:
        teacher, cache = _Teacher(), TeacherLogitCache()
        images = torch.randint(0, 256, (8, 3, 4, 4), dtype=torch.uint8,
                               generator=torch.Generator().manual_seed(0))

        def batch(indices):
            out = crop_flip_collate([
                dict(inputs=images[i], data_samples=BaseDataElement(
                    metainfo=dict(sample_idx=i))) for i in indices
            ], padding=0, flip_prob=0.)
            return out['inputs'], out['data_samples']

        cache(teacher, *batch(range(4 * rank, 4 * rank + 4)))
        assert cache.computed == 4
        inputs, samples = batch(range(8))
        torch.testing.assert_close(cache(teacher, inputs, samples),
                                   teacher(inputs))
        assert cache.computed == 4  # the other process's four were shared
    finally:
        torch.distributed.destroy_process_group()


def test_processes_of_a_job_share_the_views_they_computed(tmp_path):
    torch.multiprocessing.spawn(
        _in_two_processes, args=(str(tmp_path / 'init'), ), nprocs=2)
