# Copyright (c) mmrecast contributors. All rights reserved.
from concurrent.futures import ThreadPoolExecutor
from typing import List, Optional, Tuple

import mmcv
from mmengine import fileio
from mmengine.registry import DATASETS, init_default_scope

__all__ = ['unreadable_images']


def _problem(path: str) -> Optional[str]:
    """Why the image at ``path`` cannot be used (None if it can)."""
    try:
        image = mmcv.imfrombytes(fileio.get(path))
    except Exception as error:  # whatever the reader or decoder raises
        return f'{type(error).__name__}: {error}'
    return 'the image decoder returned nothing' if image is None else None


def unreadable_images(dataset_cfg: dict,
                      default_scope: str = 'mmrecast',
                      workers: int = 4) -> Tuple[int, List[Tuple[str, str]]]:
    """Decode every image file of a dataset, as ``LoadImageFromFile`` would.

    Args:
        dataset_cfg (dict): A dataloader's ``dataset`` config.
        default_scope (str): Scope to build it in. Defaults to 'mmrecast'.
        workers (int): Threads decoding at once. Defaults to 4.

    Returns:
        tuple: How many image files were checked, and ``(path, reason)`` for
        each that cannot be read. Datasets held in memory (MNIST, CIFAR
        binaries) have no files: 0 checked.
    """
    init_default_scope(default_scope)
    dataset = DATASETS.build(dict(dataset_cfg, lazy_init=False))
    paths = [info['img_path'] for info in
             (dataset.get_data_info(i) for i in range(len(dataset)))
             if 'img_path' in info]
    with ThreadPoolExecutor(workers) as pool:
        problems = list(pool.map(_problem, paths))
    return len(paths), [(p, why) for p, why in zip(paths, problems) if why]
