# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.dataset import default_collate

from mmrecast.registry import FUNCTIONS

__all__ = ['crop_flip_collate', 'random_crop_flip']


def random_crop_flip(images: torch.Tensor,
                     padding: int = 4,
                     flip_prob: float = 0.5) -> torch.Tensor:
    """Crop each image of a batch at a random offset after zero padding,
    and mirror it left-right with probability ``flip_prob``.

    The same distribution as ``RandomCrop(padding=padding)`` followed by
    ``RandomFlip(direction='horizontal')`` on every image, drawn for the
    whole batch at once: one gather picks, for every output pixel, its
    source pixel in the padded batch (a flip reverses the columns).

    Args:
        images (torch.Tensor): Images of one size, ``(N, C, H, W)``.
        padding (int): Zeros added on each side before cropping.
            Defaults to 4.
        flip_prob (float): Probability of a flip. Defaults to 0.5.

    Returns:
        torch.Tensor: The augmented batch, shape and dtype of ``images``.
    """
    n, c, h, w = images.shape
    padded = F.pad(images, (padding, padding, padding, padding))
    # numpy's generator, as mmcv's transforms draw: a run resumed from a
    # checkpoint then gets the crops and flips the uninterrupted run got
    dy, dx = torch.from_numpy(np.random.randint(0, 2 * padding + 1,
                                                (2, n, 1)))
    rows = dy + torch.arange(h)
    cols = dx + torch.arange(w)
    flip = torch.from_numpy(np.random.rand(n, 1) < flip_prob)
    cols = torch.where(flip, cols.flip(1), cols)
    return padded[torch.arange(n).view(n, 1, 1, 1),
                  torch.arange(c).view(1, c, 1, 1),
                  rows.view(n, 1, h, 1),
                  cols.view(n, 1, 1, w)]


@FUNCTIONS.register_module()
def crop_flip_collate(data_batch: Sequence[dict],
                      padding: int = 4,
                      flip_prob: float = 0.5) -> dict:
    """``default_collate``, then :func:`random_crop_flip` on the images.

    A training loader's ``collate_fn`` for small images of one size, in
    place of ``RandomCrop`` and ``RandomFlip`` in the pipeline: per image,
    those two cost more CPU than the whole batch does here (as timm's
    fast collate does mixup on the batch).

    Args:
        data_batch (Sequence[dict]): Packed samples (``PackInputs``).
        padding (int): See :func:`random_crop_flip`. Defaults to 4.
        flip_prob (float): See :func:`random_crop_flip`. Defaults to 0.5.
    """
    batch = default_collate(data_batch)
    batch['inputs'] = random_crop_flip(batch['inputs'], padding, flip_prob)
    return batch
