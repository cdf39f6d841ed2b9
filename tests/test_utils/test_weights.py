# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
import torch.nn as nn

from mmrecast.utils.errors import CheckpointFileError
from mmrecast.utils.weights import key_mismatch, load_exactly


def test_key_mismatch_names_only_what_differs():
    keys = [f'k{i}' for i in range(5)]
    assert key_mismatch(keys, ['x']) == \
        "missing ['k0', 'k1', 'k2']... (5), unexpected ['x'] (1)"
    assert key_mismatch([], keys[:2]) == "unexpected ['k0', 'k1'] (2)"
    assert key_mismatch(keys[:1], [], shown=5) == "missing ['k0'] (1)"


def test_a_checkpoint_with_extra_keys_is_refused_naming_them():
    state = dict(nn.Linear(2, 2).state_dict(), extra=nn.Parameter())
    with pytest.raises(CheckpointFileError) as error:
        load_exactly(nn.Linear(2, 2), state, 'model.init_from: a.pth')
    assert str(error.value) == (
        "model.init_from: a.pth does not match Linear: unexpected ['extra'] "
        '(1); use a checkpoint of this config')
