# Copyright (c) mmrecast contributors. All rights reserved.
"""tools/analysis/candidate_latency.py: a library priced before training."""
import re
from unittest import mock

import pytest

from tests.helpers import config_path, run_tool_in_process

LIBRARY = config_path(
    'recast_search', 'recast-search_resnet20-akamaster_1xb64_cifar10-'
    'folder_library-separable2.py')


def _rows(out: str) -> dict:
    """Plan -> (ms, x teacher, params K, MACs M) of the printed table."""
    rows = re.findall(r'^\| (\w.*?) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+)K \| '
                      r'([\d.]+)M \|$', out, re.M)
    return {r[0]: tuple(map(float, r[1:])) for r in rows}


def test_uniform_plans_are_timed_in_onnxruntime_without_weights():
    code, out, err = run_tool_in_process('analysis/candidate_latency.py', [
        LIBRARY, '--runtime', 'onnxruntime', '--timing-seconds', 1
    ])
    assert code == 0, err
    assert 'batch 1 in onnxruntime' in out  # the search's default there
    rows = _rows(out)
    assert list(rows) == [
        'teacher', 'all BasicBlockToConv',
        'all BasicBlockToSeparableConv-num_convs2', 'all BlockToShortcut'
    ]
    assert rows['teacher'][1] == 1.0
    # parameters and MACs of the students as deployed (ResNet-20: 270K)
    assert [r[2] for r in rows.values()] == [269.7, 123.9, 39.0, 3.9]
    assert [r[3] for r in rows.values()] == [40.56, 19.32, 6.40, 0.71]
    # nine blocks removed leave the stem, pool and head: far faster
    assert rows['all BlockToShortcut'][1] < 0.5


def test_a_library_naming_its_search_is_timed_there():
    # the factorized library's search_cfg: onnxruntime at batch 1
    code, out, err = run_tool_in_process('analysis/candidate_latency.py', [
        config_path('recast_search', 'recast-search_resnet20-akamaster_'
                    '1xb64_cifar10-folder_library-factorized.py'),
        '--timing-seconds', 0.5
    ])
    assert code == 0, err
    assert out.startswith('batch 1 in onnxruntime, untrained weights')
    assert list(_rows(out))[1:] == [
        'all BasicBlockToConv', 'all BasicBlockToFactorizedConv',
        'all BlockToShortcut']


def test_a_config_that_is_not_a_library_is_one_line():
    code, _, err = run_tool_in_process('analysis/candidate_latency.py', [
        config_path('resnet_cifar', 'resnet20_akamaster_cifar10-folder.py')
    ])
    assert code == 2
    assert err.strip().splitlines() == [
        "error: model.type='ImageClassifier': candidate_latency.py needs a "
        'CandidateLibrary config (configs/recast_search/*_library*.py)'
    ]


@pytest.mark.parametrize('args, says', [
    (['--device', 'cuda'], '--device cuda: this machine has no CUDA GPU'),
    # not a device: a torch traceback in torch, ignored in onnxruntime
    (['--device', 'gpu'], '--device gpu: give cpu, or cuda (cuda:N for one '
     'GPU of several)'),
    (['--timing-seconds', '-1'], 'argument --timing-seconds'),
    # a library measures its candidates at its input size: a TypeError once
    (['--cfg-options', 'model.input_size=None'], 'model.input_size=None: '
     'the library measures its candidates'),
])
def test_bad_options_are_one_line_before_the_work(args, says):
    with mock.patch('torch.cuda.is_available', return_value=False):
        code, _, err = run_tool_in_process('analysis/candidate_latency.py',
                                           [LIBRARY, *args])
    assert code == 2
    assert says in err.strip().splitlines()[-1]
