# Copyright (c) mmrecast contributors. All rights reserved.
"""mmrecast uses mmpretrain's datasets (``_scope_='mmpretrain'``); this
package holds what checks them and what makes small-image pipelines
cheaper on a CPU."""
from .cached_load import CachedLoadImageFromFile
from .crop_flip_collate import crop_flip_collate, random_crop_flip
from .image_check import unreadable_images

__all__ = [
    'CachedLoadImageFromFile', 'crop_flip_collate', 'random_crop_flip',
    'unreadable_images'
]
