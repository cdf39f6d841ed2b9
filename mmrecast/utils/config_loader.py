# Copyright (c) mmrecast contributors. All rights reserved.
"""A dataloader of a config, built outside a Runner by the tools."""
from mmengine.config import Config
from mmengine.runner import Runner
from torch.utils.data import DataLoader

from .errors import ConfigError
from .worker_files import share_temp_folder

__all__ = ['build_config_loader']


def build_config_loader(cfg: Config, key: str, purpose: str) -> DataLoader:
    """``cfg[key]`` (e.g. ``'test_dataloader'``) built as the Runner builds
    it. A missing or ``None`` entry, or a dataset of no images, is refused
    in one line saying what the tool reads it for (``purpose``); mmengine
    would fail on them with an ``AttributeError`` or a
    ``ZeroDivisionError``."""
    if not cfg.get(key):
        raise ConfigError(f'{key} is not set in the config: {purpose}')
    share_temp_folder()
    loader = Runner.build_dataloader(cfg[key])
    if len(loader.dataset) == 0:  # the sampler would divide by it
        raise ConfigError(
            f'{key}: its dataset holds no images ({purpose}); check its '
            'data_root and data_prefix, or a held-out fold of a data set '
            'too small for its num_splits')
    return loader
