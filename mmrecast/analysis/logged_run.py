# Copyright (c) mmrecast contributors. All rights reserved.
"""Run one of mmrecast's tools as a subprocess, its output kept in a log,
for the benchmarks that time or chain whole runs."""
import os
import re
import subprocess
import sys
import time
from typing import Sequence, Tuple

from mmrecast.utils.errors import ConfigError

__all__ = ['run_logged']

#: The line of a traceback that names the exception (a rank's own prefix,
#: under torchrun, left out).
EXCEPTION = re.compile(r'^(?:\[rank\d+\]:\s*)?(\w+(?:Error|Exception): .*)')


def run_logged(name: str, argv: Sequence[str], log: str) -> Tuple[float, str]:
    """Run ``argv`` (this Python as ``PYTHON`` for the launch scripts) with
    its output in ``log``.

    Returns:
        tuple: The wall time in seconds and the output.

    Raises:
        ConfigError: It failed; the message names ``log`` and the tool's
            own one-line error, else the exception that ended it.
    """
    start = time.perf_counter()
    with open(log, 'w') as file:
        done = subprocess.run(argv, stdout=file, stderr=subprocess.STDOUT,
                              env=dict(os.environ, PYTHON=sys.executable))
    seconds = time.perf_counter() - start
    with open(log) as file:
        text = file.read()
    if done.returncode != 0:
        lines = text.strip().splitlines() or ['(no output)']
        errors = [line for line in lines if line.startswith('error:')]
        raised = [m.group(1) for m in map(EXCEPTION.match, lines) if m]
        raise ConfigError(
            f'{log}: {name} failed: {(errors or raised or lines)[-1]}')
    return seconds, text
