# Copyright (c) mmrecast contributors. All rights reserved.
"""explain on errors whose text is all there is to go by."""
from typing import Optional

import pytest
import torch
from mmengine.model import BaseModel
from torch import nn

from mmrecast.utils.errors import explain
from tests.helpers import REPO

FIX = "lower the data loaders' num_workers or batch_size"


# torch's words when a data loader worker dies: its SIGCHLD handler's, or
# the main process's when the worker is found gone
@pytest.mark.parametrize('text, line', [
    ('DataLoader worker (pid 2175) is killed by signal: Killed. ',
     'data loader worker: a worker process was killed (Killed), most often '
     f'because memory ran out (see dmesg); {FIX}'),
    ('DataLoader worker (pid(s) 2175, 2176) exited unexpectedly',
     'data loader worker: a worker process died without a report, most '
     f'often because memory ran out (see dmesg); {FIX}'),
    ('DataLoader worker (pid 2175) is killed by signal: Bus error. It is '
     "possible that dataloader's workers are out of shared memory. Please "
     'try to raise your shared memory limit.',
     'data loader worker: a worker process ran out of shared memory (Bus '
     f"error); {FIX}, or raise the shared memory limit (/dev/shm; a "
     "container's --shm-size)"),
    # a crash in the worker's own code is a bug: its traceback is shown
    ('DataLoader worker (pid 2175) is killed by signal: Segmentation '
     'fault. ', None),
    ('DataLoader worker (pid 2175) exited unexpectedly with exit code 1. '
     'Details are lost due to multiprocessing. Rerunning with '
     'num_workers=0 may give better error trace.', None),
])
def test_a_data_loader_worker_that_died(text, line):
    assert explain(RuntimeError(text)) == line


class _TwoConvs(BaseModel):
    """A model whose first or second convolution takes ``wrong`` input
    channels (``first=None``: a first convolution of 3-D inputs)."""

    def __init__(self, wrong: int, first: Optional[bool]):
        super().__init__()
        self.stem = nn.Conv3d(3, 4, 1) if first is None else nn.Conv2d(
            wrong if first else 3, 4, 1)
        self.body = nn.Conv2d(4 if first else wrong, 4, 1)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        return self.body(self.stem(inputs))


@pytest.mark.parametrize('first, line', [
    (True, 'model.stem: its first convolution takes 1-channel images and '
     'the data give 3-channel ones; set its in_channels=3 (or load '
     '1-channel images)'),
    # a convolution inside the network: a bug, whose traceback is shown
    (False, None),
    # a first convolution of another kind: it reads the batch as channels
    (None, None)])
def test_images_of_another_number_of_channels(first, line):
    with pytest.raises(RuntimeError) as error:
        _TwoConvs(1, first)(torch.zeros(2, 3, 8, 8))
    assert explain(error.value) == line


@pytest.mark.parametrize('layout, kind', [
    (['cifar-10-batches-py/data_batch_1'], 'CIFAR10'),
    (['cifar-100-python/train'], 'CIFAR100'),
    (['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'], 'MNIST'),
    (['train-images-idx3-ubyte'], None),  # not all of MNIST's files
])
def test_an_image_folder_config_on_an_official_download(tmp_path, layout,
                                                        kind):
    """An image-folder config pointed at the official download of a data
    set (its train/ folder missing) names the config that reads it."""
    for name in layout:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).touch()
    missing = tmp_path / 'train'
    line = explain(FileNotFoundError(2, 'No such file', str(missing)))
    if kind is None:
        assert line == f'{missing}: no such file or folder; check the path'
        return
    base = f'configs/_base_/datasets/{kind.lower()}_bs128.py'
    assert line == (
        f'{missing}: no such folder; {tmp_path} holds the official {kind} '
        f"download, which mmpretrain's type={kind!r} reads ({base}); use a "
        'config built on it, or set data_root to an image folder')
    assert (REPO / base).is_file()
    # the download's own folder as data_root
    inner = tmp_path / layout[0].split('/')[0]
    if inner.is_dir():
        assert f'{inner} holds the official {kind}' in explain(
            FileNotFoundError(2, 'No such file', str(inner / 'train')))


# a misspelt type, built through the real registries: the hint comes from
# the registry and scope named by mmengine's KeyError, or any other scope
@pytest.mark.parametrize('registry, cfg, hint', [
    ('RECASTERS', dict(type='BasicBlockToConvv'), "'BasicBlockToConv'"),
    ('MODELS', dict(type='ImageClasifier', _scope_='mmpretrain'),
     "'ImageClassifier'"),
    ('MODELS', dict(type='CifarResNt', _scope_='mmpretrain'),
     "'mmrecast.CifarResNet'"),
    ('TRANSFORMS', dict(type='LoadImageFromFil', _scope_='mmpretrain'),
     "'LoadImageFromFile'"),
    ('MODELS', dict(type='Zebra', _scope_='mmpretrain'), None),
])
def test_a_misspelt_type_names_the_closest_registered(registry, cfg, hint):
    import mmpretrain.registry  # noqa: F401  (its scope, as a tool has it)

    import mmrecast.models  # noqa: F401
    from mmrecast import registry as ours
    with pytest.raises(KeyError) as caught:
        getattr(ours, registry).build(cfg)
    line = explain(caught.value)
    assert line.startswith(f"type={cfg['type']!r}: not a registered ")
    assert line.endswith('check the spelling, the _scope_ of its config '
                         'and custom_imports')
    if hint:
        assert f'did you mean {hint}? ' in line
    else:
        assert 'did you mean' not in line
