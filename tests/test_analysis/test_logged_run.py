# Copyright (c) mmrecast contributors. All rights reserved.
"""A tool run as a subprocess: its output kept, its failure in one line."""
import sys

import pytest

from mmrecast.analysis.logged_run import run_logged
from mmrecast.utils.errors import ConfigError


def test_the_output_is_kept_and_returned_with_the_wall_time(tmp_path):
    log = tmp_path / 'ok.log'
    seconds, text = run_logged(
        'ok', [sys.executable, '-c', 'import time; time.sleep(0.2); '
               'print("trained")'], str(log))
    assert text == log.read_text() == 'trained\n'
    assert 0.2 <= seconds < 30


@pytest.mark.parametrize('lines, says', [
    # what torchrun leaves when a rank raises: the cause, then its report
    (['[rank0]: Traceback (most recent call last):',
      '[rank0]: ValueError: Invalid learning rate: -1', '=' * 60],
     'ValueError: Invalid learning rate: -1'),
    # a tool's own one-line error wins over any exception printed before
    (['RuntimeError: retried', 'error: model.x: not an argument'],
     'error: model.x: not an argument'),
    ([], '(no output)'),
])
def test_a_failed_run_is_named_by_its_log_and_its_own_line(
        tmp_path, lines, says):
    code = ''.join(f'print({line!r});' for line in lines)
    log = tmp_path / 'stage.log'
    with pytest.raises(ConfigError) as error:
        run_logged('stage', [sys.executable, '-c', code + 'exit(1)'],
                   str(log))
    assert str(error.value) == f'{log}: stage failed: {says}'
