# Copyright (c) mmrecast contributors. All rights reserved.
"""The test helpers that guard the suite itself."""
import os
import subprocess
import sys
import time

import pytest

from tests.helpers import run_command


def test_a_tool_past_its_timeout_is_killed_with_its_workers(tmp_path):
    # a launcher (bash, as dist_train.sh) whose worker would run on
    pid_file = tmp_path / 'worker.pid'
    cmd = ['bash', '-c', f'{sys.executable} -c "import time; '
           f'time.sleep(120)" & echo $! > {pid_file}; wait']
    with pytest.raises(subprocess.TimeoutExpired):
        run_command(cmd, tmp_path, timeout=2, env=dict(os.environ))
    worker = int(pid_file.read_text())
    for _ in range(50):  # reaped by init within moments of the kill
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(worker, 9)
    raise AssertionError('the worker outlived the timed-out tool')


def test_a_finished_command_is_returned_as_subprocess_run_would(tmp_path):
    done = run_command(['bash', '-c', 'echo out; echo err >&2; exit 3'],
                       tmp_path, timeout=30, env=dict(os.environ))
    assert (done.returncode, done.stdout) == (3, 'out\nerr\n')
