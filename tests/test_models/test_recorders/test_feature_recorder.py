# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
import torch
import torch.nn as nn

from mmrecast.models import CifarResNet, FeatureRecorder


def test_records_and_stops_early():
    model = CifarResNet(20).eval()
    called = []
    model.layer3.register_forward_hook(lambda *a: called.append('layer3'))
    recorder = FeatureRecorder(model, dict(feat='layer1.2'))
    x = torch.randn(2, 3, 32, 32)
    assert recorder.run(model, x) is not None
    assert recorder['feat'].shape == (2, 16, 32, 32) and called
    called.clear()
    assert recorder.run(model, x, stop_after=['feat']) is None
    assert recorder['feat'].shape == (2, 16, 32, 32)
    assert not called  # nothing after layer1.2 was computed


def test_wrong_path_names_the_field_and_close_matches():
    model = CifarResNet(20)
    with pytest.raises(ValueError) as info:
        FeatureRecorder(model, dict(feat='layer3.3'), 'teacher_recorders')
    message = str(info.value)
    assert '\n' not in message
    assert message.startswith("teacher_recorders.feat: no module 'layer3.3'")
    assert 'layer3.2' in message


def test_missing_record_is_explained():
    recorder = FeatureRecorder(nn.Linear(2, 2), {})
    with pytest.raises(KeyError, match='nothing recorded as'):
        recorder['feat']
