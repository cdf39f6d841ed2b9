# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Dict, Optional

import numpy as np
from mmcv.transforms import LoadImageFromFile

from mmrecast.registry import TRANSFORMS

__all__ = ['CachedLoadImageFromFile']


@TRANSFORMS.register_module()
class CachedLoadImageFromFile(LoadImageFromFile):
    """``LoadImageFromFile`` that decodes each file once per process.

    For small images, reading and decoding the file costs more CPU than
    the rest of the pipeline, and a CPU run pays it every epoch. Here the
    first read of a file keeps its decoded array; later reads copy it.
    The cache lives in the process that runs the pipeline, so each data
    loader worker holds its own (keep ``persistent_workers=True``, or it
    is rebuilt every epoch), and it stops growing at ``max_bytes``; files
    that do not fit are decoded as usual. A file changed during the run
    is not read again.

    Args:
        max_bytes (int): Decoded bytes to keep per process. Defaults to
            1 GiB (CIFAR-10's 50,000 images take 150 MiB).
        **kwargs: The arguments of ``mmcv.transforms.LoadImageFromFile``.
    """

    def __init__(self, max_bytes: int = 2**30, **kwargs):
        super().__init__(**kwargs)
        self.max_bytes = max_bytes
        self._images: Dict[str, np.ndarray] = {}
        self._cached_bytes = 0

    def transform(self, results: dict) -> Optional[dict]:
        path = results['img_path']
        image = self._images.get(path)
        if image is None:
            results = super().transform(results)
            if results is None:  # an empty file with ignore_empty=True
                return None
            image = results['img']
            if self._cached_bytes + image.nbytes <= self.max_bytes:
                self._images[path] = image
                self._cached_bytes += image.nbytes
        # later transforms may change the array in place
        results['img'] = image.copy()
        results['img_shape'] = image.shape[:2]
        results['ori_shape'] = image.shape[:2]
        return results

    def __repr__(self) -> str:
        return f'{super().__repr__()[:-1]}, max_bytes={self.max_bytes})'
