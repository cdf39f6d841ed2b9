# Copyright (c) mmrecast contributors. All rights reserved.
"""mmrecast uses mmpretrain's datasets (``_scope_='mmpretrain'``); this
package holds what checks them."""
from .image_check import unreadable_images

__all__ = ['unreadable_images']
