# Copyright (c) mmrecast contributors. All rights reserved.
"""Test-only script for tools/dist_launch.sh: the rank kills itself with
the signal its argument names (SIGKILL, SIGTERM)."""
import os
import signal
import sys

os.kill(os.getpid(), getattr(signal, sys.argv[1]))
