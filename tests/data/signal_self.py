# Copyright (c) mmrecast contributors. All rights reserved.
"""Test-only script for tools/dist_launch.sh: the last rank kills itself
with the signal its argument names (SIGKILL, SIGTERM); the others fail at
once with exit status 1, as ranks that lose a peer do."""
import os
import signal
import sys

if int(os.environ['RANK']) == int(os.environ['WORLD_SIZE']) - 1:
    os.kill(os.getpid(), getattr(signal, sys.argv[1]))
sys.exit(1)
