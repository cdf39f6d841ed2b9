# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.dataset import default_collate

from mmrecast.registry import FUNCTIONS
from mmrecast.utils.errors import ConfigError

__all__ = [
    'check_shifts', 'crop_flip', 'crop_flip_collate', 'draw_crop_flip',
    'random_crop_flip'
]


def check_shifts(shifts: Sequence[Sequence[int]], padding: int) -> None:
    """Raise :class:`ConfigError` unless ``shifts`` is a non-empty list of
    ``(rows, columns)`` pairs of integers within ``-padding..padding``."""
    if not shifts or not all(
            len(s) == 2 and all(isinstance(v, int) and abs(v) <= padding
                                for v in s) for s in shifts):
        raise ConfigError(f'shifts={shifts!r}: write (rows, columns) pairs '
                          f'of integers within -{padding}..{padding} '
                          '(padding)')


def draw_crop_flip(
    n: int,
    padding: int = 4,
    flip_prob: float = 0.5,
    shifts: Optional[Sequence[Sequence[int]]] = None
) -> Tuple[torch.Tensor, torch.Tensor]:
    """Draw the crops and flips of :func:`random_crop_flip` for ``n``
    images; ``shifts`` as in :func:`crop_flip_collate`.

    Returns:
        tuple: The shifts ``(n, 2)``, each image's rows and columns moved
        by ``-padding..padding`` (0 keeps it in place), and the flips
        ``(n,)``, a bool per image.
    """
    # numpy's generator, as mmcv's transforms draw: a run resumed from a
    # checkpoint then gets the crops and flips the uninterrupted run got
    if shifts is None:
        dy, dx = np.random.randint(0, 2 * padding + 1, (2, n))
        drawn = np.stack([dy, dx], 1) - padding
    else:
        check_shifts(shifts, padding)
        drawn = np.asarray(shifts)[np.random.randint(0, len(shifts), n)]
    flips = np.random.rand(n, 1) < flip_prob
    return torch.from_numpy(drawn), torch.from_numpy(flips[:, 0])


def crop_flip(images: torch.Tensor, padding: int, shifts: torch.Tensor,
              flips: torch.Tensor) -> torch.Tensor:
    """Crop and flip each image of a batch as drawn by
    :func:`draw_crop_flip`: one gather picks, for every output pixel, its
    source pixel in the zero-padded batch (a flip reverses the columns)."""
    n, c, h, w = images.shape
    padded = F.pad(images, (padding, padding, padding, padding))
    rows = shifts[:, :1] + padding + torch.arange(h)
    cols = shifts[:, 1:] + padding + torch.arange(w)
    cols = torch.where(flips.view(n, 1), cols.flip(1), cols)
    return padded[torch.arange(n).view(n, 1, 1, 1),
                  torch.arange(c).view(1, c, 1, 1),
                  rows.view(n, 1, h, 1),
                  cols.view(n, 1, 1, w)]


def random_crop_flip(images: torch.Tensor,
                     padding: int = 4,
                     flip_prob: float = 0.5) -> torch.Tensor:
    """Crop each image of a batch at a random offset after zero padding,
    and mirror it left-right with probability ``flip_prob``.

    The same distribution as ``RandomCrop(padding=padding)`` followed by
    ``RandomFlip(direction='horizontal')`` on every image, drawn for the
    whole batch at once (:func:`draw_crop_flip`, :func:`crop_flip`).

    Args:
        images (torch.Tensor): Images of one size, ``(N, C, H, W)``.
        padding (int): Zeros added on each side before cropping.
            Defaults to 4.
        flip_prob (float): Probability of a flip. Defaults to 0.5.

    Returns:
        torch.Tensor: The augmented batch, shape and dtype of ``images``.
    """
    return crop_flip(images, padding,
                     *draw_crop_flip(len(images), padding, flip_prob))


@FUNCTIONS.register_module()
def crop_flip_collate(
        data_batch: Sequence[dict],
        padding: int = 4,
        flip_prob: float = 0.5,
        shifts: Optional[Sequence[Sequence[int]]] = None) -> dict:
    """``default_collate``, then :func:`random_crop_flip` on the images.

    A training loader's ``collate_fn`` for small images of one size, in
    place of ``RandomCrop`` and ``RandomFlip`` in the pipeline: per image,
    those two cost more CPU than the whole batch does here (as timm's
    fast collate does mixup on the batch). Each data sample's metainfo
    gets ``flip`` (bool) and ``crop_shift`` (rows, columns), which
    :class:`mmrecast.models.utils.TeacherLogitCache` reads.

    Args:
        data_batch (Sequence[dict]): Packed samples (``PackInputs``).
        padding (int): See :func:`random_crop_flip`. Defaults to 4.
        flip_prob (float): See :func:`random_crop_flip`. Defaults to 0.5.
        shifts (Sequence, optional): The ``(rows, columns)`` shifts to draw
            from, uniformly, e.g. ``[(0, 0), (-4, -4), (4, 4)]``; None
            draws every shift in ``-padding..padding``. A few fixed shifts
            give each image a few views, which a teacher logit cache
            covers after a few epochs. Defaults to None.
    """
    batch = default_collate(data_batch)
    drawn, flips = draw_crop_flip(
        len(batch['inputs']), padding, flip_prob, shifts)
    batch['inputs'] = crop_flip(batch['inputs'], padding, drawn, flips)
    for sample, shift, flip in zip(
            batch.get('data_samples') or [], drawn.tolist(), flips.tolist()):
        sample.set_metainfo(dict(flip=flip, crop_shift=tuple(shift)))
    return batch
