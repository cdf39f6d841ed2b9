# Copyright (c) mmrecast contributors. All rights reserved.
import subprocess
import sys

import pytest

from tests.helpers import REPO

# persistent data loader workers, still running when the process leaves:
# by a normal exit (multiprocessing kills them there), or by os._exit
# after end_workers (what destroy_distributed does)
_SCRIPT = '''
import os, sys
import torch
from torch.utils.data import DataLoader
from mmrecast.utils.worker_files import end_workers, share_temp_folder
if sys.argv[1] == 'shared':
    share_temp_folder()
loader = DataLoader(list(torch.randn(8, 3)), batch_size=2, num_workers=2,
                    persistent_workers=True)
for _ in loader:
    pass
print(sorted(os.listdir(os.environ['TMPDIR'])), flush=True)
if sys.argv[2] == 'os._exit':
    end_workers()
    os._exit(0)
'''


def _python(code: str, temp, *args: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh Python whose TMPDIR is ``temp``."""
    proc = subprocess.run(
        [sys.executable, '-c', code, *args], cwd=REPO,
        env=dict(TMPDIR=str(temp), PATH='/usr/bin:/bin'),
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def _run(temp, folder: str, leave: str) -> tuple:
    proc = _python(_SCRIPT, temp, folder, leave)
    return proc.stdout, sorted(p.name for p in temp.iterdir())


@pytest.mark.parametrize('leave', ['exit', 'os._exit'])
def test_workers_leave_no_temporary_folder(temp_folder, leave):
    while_running, left = _run(temp_folder, 'shared', leave)
    assert while_running.count('pymp-') == 1  # the process's, shared
    assert left == []


def test_workers_of_their_own_leave_their_folders(temp_folder):
    # what the shared folder is for: without it, each killed worker's
    # folder stays
    _, left = _run(temp_folder, 'own', 'exit')
    assert len(left) == 2 and all(n.startswith('pymp-') for n in left)


@pytest.mark.parametrize('depth, warned', [(75, False), (76, True)])
def test_a_folder_too_deep_for_the_workers_sockets_is_named(
        temp_folder, depth, warned):
    # pymp-XXXXXXXX/listener-XXXXXXXX below TMPDIR: 32 bytes of 107
    deep = temp_folder / ('d' * (depth - len(str(temp_folder)) - 1))
    deep.mkdir()
    proc = _python('from mmrecast.utils.worker_files import '
                   'share_temp_folder; share_temp_folder()', deep)
    assert len(str(deep)) == depth
    assert ('set TMPDIR to a shorter folder' in proc.stderr) is warned
    assert proc.stderr.count('\n') == int(warned)
