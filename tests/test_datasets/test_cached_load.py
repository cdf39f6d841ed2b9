# Copyright (c) mmrecast contributors. All rights reserved.
import mmcv
import numpy as np
import pytest

from mmrecast.datasets import CachedLoadImageFromFile
from mmrecast.registry import TRANSFORMS


def _write(path, value):
    mmcv.imwrite(np.full((5, 7, 3), value, dtype=np.uint8), str(path))


def _load(transform, path):
    return transform(dict(img_path=str(path)))


def test_a_file_is_decoded_once(tmp_path):
    path = tmp_path / 'a.png'
    _write(path, 10)
    load = TRANSFORMS.build(dict(type='mmrecast.CachedLoadImageFromFile'))
    first = _load(load, path)
    assert first['img_shape'] == first['ori_shape'] == (5, 7)
    path.unlink()  # a second read can only come from memory
    again = _load(load, path)
    assert np.array_equal(again['img'], first['img'])
    assert again['img_shape'] == (5, 7)


def test_changing_a_returned_image_leaves_the_cache_alone(tmp_path):
    path = tmp_path / 'a.png'
    _write(path, 10)
    load = CachedLoadImageFromFile()
    _load(load, path)['img'][:] = 99
    assert (_load(load, path)['img'] == 10).all()


def test_nothing_is_kept_past_max_bytes(tmp_path):
    first, second = tmp_path / 'a.png', tmp_path / 'b.png'
    _write(first, 10)
    _write(second, 20)
    load = CachedLoadImageFromFile(max_bytes=5 * 7 * 3)  # one image
    _load(load, first)
    _load(load, second)
    _write(first, 30)
    _write(second, 40)
    assert (_load(load, first)['img'] == 10).all()  # kept
    assert (_load(load, second)['img'] == 40).all()  # read again


def test_a_missing_file_fails_as_load_image_from_file_does(tmp_path):
    with pytest.raises(FileNotFoundError):
        _load(CachedLoadImageFromFile(), tmp_path / 'none.png')
    load = CachedLoadImageFromFile(ignore_empty=True)
    assert _load(load, tmp_path / 'none.png') is None
