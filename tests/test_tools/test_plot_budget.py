# Copyright (c) mmrecast contributors. All rights reserved.
"""tools/analysis/plot_budget.py: the plot and table of budget runs, from
their result.json files or the summary.log files kept with the numbers."""
import json

import pytest

from tests.helpers import REPO, run_tool_in_process

LOGS = REPO / 'configs' / 'recasting' / 'logs' / 'budget'


def test_plot_from_committed_logs_and_a_result_json(tmp_path):
    result = tmp_path / 'result.json'
    result.write_text(json.dumps(dict(method='mine', budget_s=300.0,
                                      wall_s=296.0, top1=80.5)))
    out = tmp_path / 'plots' / 'budget.png'  # its folder is made
    code, stdout, stderr = run_tool_in_process('analysis/plot_budget.py', [
        LOGS / 'teacher-fed-bf16_900_headroom.log',
        LOGS / 'kd-scratch-bf16_900.log', result, '--out', out])
    assert code == 0, stderr
    assert out.read_bytes().startswith(b'\x89PNG')
    assert stdout.splitlines()[2:5] == [
        '| kd-scratch-bf16 | 900 | 897 | 86.04 |',
        '| mine | 300 | 296 | 80.50 |',
        '| teacher-fed-bf16 | 900 | 901 | 88.10 |',
    ]
    # the plot is not overwritten unless asked
    code, _, stderr = run_tool_in_process(
        'analysis/plot_budget.py', [result, '--out', out])
    assert code == 2 and '--force' in stderr


def test_a_file_that_is_no_result_is_named(tmp_path):
    log = LOGS / 'screen_r44_parallel_600iters.log'  # a training log
    code, _, stderr = run_tool_in_process(
        'analysis/plot_budget.py', [log, '--out', tmp_path / 'x.png'])
    assert code == 2
    assert stderr.strip().splitlines()[-1].startswith(
        f'error: {log}: not a recast_budget.py result.json or summary.log')


@pytest.mark.parametrize('name, problem', [
    ('teacher-fed_900.lg', 'no such file or folder'),  # a typo
    ('', 'a folder where a file is needed'),
])
def test_a_wrong_path_is_named(tmp_path, name, problem):
    path = tmp_path / name
    code, _, stderr = run_tool_in_process(
        'analysis/plot_budget.py', [path, '--out', tmp_path / 'x.png'])
    assert code == 2
    assert stderr.strip().splitlines()[-1] == (
        f'error: {path}: {problem}; check the path')
