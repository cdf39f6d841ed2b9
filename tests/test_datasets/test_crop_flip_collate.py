# Copyright (c) mmrecast contributors. All rights reserved.
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmengine.registry import FUNCTIONS
from mmengine.structures import BaseDataElement

from mmrecast.datasets import crop_flip_collate, random_crop_flip
from mmrecast.utils.errors import ConfigError


def _per_image(images, padding, offsets, flips):
    """RandomCrop (zero padding) then a horizontal flip, image by image."""
    h, w = images.shape[-2:]
    padded = F.pad(images, (padding, ) * 4)
    out = []
    for image, (dy, dx), flip in zip(padded, offsets, flips):
        crop = image[:, dy:dy + h, dx:dx + w]
        out.append(crop.flip(-1) if flip else crop)
    return torch.stack(out)


@pytest.mark.parametrize('padding', [0, 1, 4])
def test_the_batch_is_cropped_and_flipped_image_by_image(padding):
    images = torch.randint(0, 256, (16, 3, 8, 6), dtype=torch.uint8)
    np.random.seed(3)
    out = random_crop_flip(images, padding, flip_prob=0.5)
    # the same draws, in the order random_crop_flip makes them
    np.random.seed(3)
    dy, dx = np.random.randint(0, 2 * padding + 1, (2, 16, 1))
    flips = (np.random.rand(16, 1) < 0.5).flatten().tolist()
    offsets = list(zip(dy.flatten().tolist(), dx.flatten().tolist()))
    assert out.dtype == torch.uint8 and out.shape == images.shape
    assert torch.equal(out, _per_image(images, padding, offsets, flips))
    assert 0 < sum(flips) < 16


def test_every_offset_and_both_flips_are_drawn():
    # a one-pixel image marks where the crop window lands
    images = torch.ones(4000, 1, 1, 1, dtype=torch.uint8)
    seen = random_crop_flip(images, padding=1, flip_prob=0.5)
    assert set(seen.flatten().tolist()) == {0, 1}
    # one pixel of the padded 3x3 is the image: 1/9 of the crops hit it
    assert seen.float().mean().item() == pytest.approx(1 / 9, abs=0.02)
    ramp = torch.arange(5, dtype=torch.uint8).view(1, 1, 1, 5).expand(
        4000, 1, 1, 5)
    rows = random_crop_flip(ramp, padding=0, flip_prob=0.3)[:, 0, 0]
    flipped = (rows[:, 0] == 4).float().mean().item()
    assert flipped == pytest.approx(0.3, abs=0.03)
    assert torch.equal(random_crop_flip(ramp[:8], 0, flip_prob=0.), ramp[:8])


def test_the_collate_function_is_found_by_a_config_and_keeps_samples():
    collate = FUNCTIONS.get('mmrecast.crop_flip_collate')
    assert collate is crop_flip_collate
    samples = [
        dict(
            inputs=torch.full((3, 4, 4), i, dtype=torch.uint8),
            data_samples=BaseDataElement(index=i)) for i in range(1, 4)
    ]
    batch = collate(samples, padding=2, flip_prob=0.5)
    assert batch['inputs'].shape == (3, 3, 4, 4)
    assert [s.index for s in batch['data_samples']] == [1, 2, 3]
    # each image keeps its own pixels; only padding (zeros) comes in
    for i, image in enumerate(batch['inputs'], 1):
        assert set(image.unique().tolist()) <= {0, i}


def test_shifts_are_drawn_from_the_given_ones_only():
    images = torch.ones(2000, 1, 1, 1, dtype=torch.uint8)
    shifts = [(0, 0), (1, 1), (-1, 0)]
    batch = crop_flip_collate([
        dict(inputs=image, data_samples=BaseDataElement()) for image in images
    ], padding=1, flip_prob=0., shifts=shifts)
    drawn = [s.crop_shift for s in batch['data_samples']]
    assert set(drawn) == set(shifts)
    assert drawn.count((1, 1)) == pytest.approx(2000 / 3, rel=0.1)
    # only the unshifted crop keeps the one pixel in the window
    kept = batch['inputs'].flatten() == 1
    assert kept.tolist() == [s == (0, 0) for s in drawn]


@pytest.mark.parametrize('shifts', [[], [(0, 2)], [(0, 0, 0)], [(0.5, 0)]])
def test_shifts_outside_the_padding_are_refused(shifts):
    with pytest.raises(ConfigError, match=r'shifts=.*within -1\.\.1'):
        crop_flip_collate([
            dict(inputs=torch.ones(1, 2, 2, dtype=torch.uint8),
                 data_samples=BaseDataElement())
        ], padding=1, shifts=shifts)
