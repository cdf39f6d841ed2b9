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


class _WithTeacher(nn.Module):

    def __init__(self, teacher: nn.Module = None):
        super().__init__()
        self.teacher = teacher or nn.Linear(2, 2)
        self.student = nn.Linear(2, 3)


# a BN teacher too: torch never reports a BN's num_batches_tracked as
# missing, so the teacher's keys are not all among the missing ones
@pytest.mark.parametrize('make', [lambda: nn.Linear(2, 2),
                                  lambda: nn.BatchNorm1d(2)])
def test_a_teachers_checkpoint_for_a_run_is_named_as_such(make):
    """A classifier's weights given where a run's checkpoint is wanted
    (tools/recast_search.py --checkpoint): its keys are the teacher's."""
    with pytest.raises(CheckpointFileError) as error:
        load_exactly(_WithTeacher(make()), make().state_dict(),
                     '--checkpoint: t.pth')
    assert str(error.value) == (
        "--checkpoint: t.pth holds a classifier's weights (this "
        "_WithTeacher's teacher alone), not a training checkpoint of "
        '_WithTeacher; give the one tools/train.py writes for this config')
    # a checkpoint of another classifier is not the teacher's
    with pytest.raises(CheckpointFileError, match='does not match'):
        load_exactly(_WithTeacher(),
                     nn.Sequential(nn.Linear(2, 2)).state_dict(),
                     '--checkpoint: t.pth')
