# Copyright (c) mmrecast contributors. All rights reserved.
"""Checkpoints load weights-only: a crafted pickle never runs."""
import os

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer, MessageHub
from mmengine.runner import CheckpointLoader, load_checkpoint

from mmrecast.utils import (UnsafeCheckpointError, load_checkpoint_file,
                            set_unsafe_load, unsafe_load_enabled)
from mmrecast.utils.checkpoint import (is_intact_checkpoint,
                                       latest_intact_checkpoint,
                                       write_text_atomically)
from mmrecast.utils.errors import CheckpointFileError


class _Payload:
    """Unpickling this calls ``os.mkdir(marker)``: a stand-in for any code
    an attacker could run."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return os.mkdir, (self.marker, )


@pytest.fixture(autouse=True)
def _default_policy():
    set_unsafe_load(None)
    yield
    set_unsafe_load(None)


@pytest.fixture(params=['zip', 'legacy'])
def malicious_file(request, tmp_path):
    marker = tmp_path / 'pwned'
    path = tmp_path / 'teacher.pth'
    payload = {'state_dict': {'w': torch.ones(1)}, 'x': _Payload(str(marker))}
    if request.param == 'zip':
        torch.save(payload, path)
    else:
        torch.save(payload, path, _use_new_zipfile_serialization=False)
    assert not marker.exists()
    return path, marker


def test_malicious_pickle_is_refused_and_never_runs(malicious_file):
    path, marker = malicious_file
    with pytest.raises(UnsafeCheckpointError) as info:
        load_checkpoint_file(path)
    message = str(info.value)
    assert '\n' not in message
    assert str(path) in message and '--unsafe-load' in message
    assert 'MMRECAST_UNSAFE_LOAD=1' in message
    assert not marker.exists()


def test_every_mmengine_entry_point_refuses(malicious_file):
    path, marker = malicious_file
    with pytest.raises(UnsafeCheckpointError):
        CheckpointLoader.load_checkpoint(str(path))
    with pytest.raises(UnsafeCheckpointError):
        load_checkpoint(torch.nn.Linear(1, 1), str(path))
    assert not marker.exists()


def test_explicit_opt_in_unpickles(malicious_file):
    path, marker = malicious_file
    set_unsafe_load(True)
    load_checkpoint_file(path)
    assert marker.exists()


def test_environment_opt_in(monkeypatch):
    assert not unsafe_load_enabled()
    monkeypatch.setenv('MMRECAST_UNSAFE_LOAD', '1')
    assert unsafe_load_enabled()
    set_unsafe_load(False)  # an explicit setting wins over the environment
    assert not unsafe_load_enabled()


def test_plain_state_dict_loads(tmp_path):
    path = tmp_path / 'weights.pth'
    torch.save({'state_dict': {'w': torch.arange(3.)}}, path)
    loaded = load_checkpoint_file(path)
    assert torch.equal(loaded['state_dict']['w'], torch.arange(3.))


def test_mapped_load_reads_meta_and_refuses_pickles(tmp_path,
                                                    malicious_file):
    path = tmp_path / 'ckpt.pth'
    torch.save({'meta': {'iter': 7}, 'state_dict': {'w': torch.ones(4)}},
               path)
    loaded = load_checkpoint_file(path, 'cpu', mmap=True)
    assert loaded['meta']['iter'] == 7
    assert torch.equal(loaded['state_dict']['w'], torch.ones(4))
    path, marker = malicious_file
    with pytest.raises(UnsafeCheckpointError):
        load_checkpoint_file(path, mmap=True)
    assert not marker.exists()


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        load_checkpoint_file(tmp_path / 'nope.pth')
    assert info.value.filename == str(tmp_path / 'nope.pth')


def _valid(tmp_path):
    path = tmp_path / 'good.pth'
    torch.save(dict(state_dict=dict(w=torch.ones(3)), meta=dict(iter=1)),
               path)
    return path


@pytest.mark.parametrize('damage, says', [
    ('empty', 'empty (0 bytes)'),
    ('truncated', 'zip archive is incomplete'),
    ('random', 'neither a zip nor a legacy torch file'),
])
def test_corrupt_is_not_unsafe(tmp_path, damage, says):
    path = tmp_path / f'{damage}.pth'
    data = _valid(tmp_path).read_bytes()
    path.write_bytes({'empty': b'', 'truncated': data[:len(data) // 2],
                      'random': bytes(range(7, 250))}[damage])
    with pytest.raises(CheckpointFileError) as info:
        load_checkpoint_file(path)
    message = str(info.value)
    assert message.startswith(f'{path}: not a valid checkpoint') \
        and says in message
    assert 'could run code' not in message and '\n' not in message
    assert not is_intact_checkpoint(str(path))


def test_resume_falls_back_to_the_newest_intact_checkpoint(tmp_path):
    old = _valid(tmp_path)
    newer = tmp_path / 'iter_2.pth'
    newer.write_bytes(old.read_bytes()[:100])  # torn while written
    pointer = tmp_path / 'last_checkpoint'
    assert latest_intact_checkpoint(str(tmp_path)) == (str(old), (
        f'{pointer} names nothing, which is not an intact checkpoint; '
        f'resuming from {old}, the newest intact one'))
    for text in ('', str(newer), str(tmp_path / 'gone.pth')):
        write_text_atomically(str(pointer), text)
        path, warning = latest_intact_checkpoint(str(tmp_path))
        assert path == str(old) and str(old) in warning
    write_text_atomically(str(pointer), str(old))
    assert latest_intact_checkpoint(str(tmp_path)) == (str(old), '')
    assert not (tmp_path / 'last_checkpoint.part').exists()


def test_message_hub_round_trips_weights_only(tmp_path):
    """What mmengine writes into a training checkpoint loads weights-only."""
    hub = MessageHub.get_instance('test_checkpoint_round_trip')
    for i in range(5):
        hub.update_scalar('train/loss', float(i))
    hub.update_info('iter', np.int64(4))
    path = tmp_path / 'ckpt.pth'
    torch.save({'message_hub': hub.state_dict()}, path)
    # nothing in it is outside the allow-list (no builtins.getattr)
    names = torch.serialization.get_unsafe_globals_in_checkpoint(str(path))
    assert 'mmengine.logging.history_buffer.HistoryBuffer' in names
    assert all(n.startswith('numpy') or n.endswith('.HistoryBuffer')
               for n in names), names
    loaded = load_checkpoint_file(path)['message_hub']
    buffer = loaded['log_scalars']['train/loss']
    assert isinstance(buffer, HistoryBuffer)
    assert buffer.mean() == 2.0 and buffer.statistics('max') == 4.0
    assert loaded['runtime_info']['iter'] == 4
