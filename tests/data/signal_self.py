# Copyright (c) mmrecast contributors. All rights reserved.
"""Test-only script for tools/dist_launch.sh: the last rank sends the
signal its first argument names (SIGKILL, SIGTERM, SIGINT) to itself, or,
given ``launcher`` too, to torchrun (its parent), and waits to be stopped;
the others fail at once with exit status 1, as ranks that lose a peer do.
"""
import os
import signal
import sys
import time

if int(os.environ['RANK']) == int(os.environ['WORLD_SIZE']) - 1:
    target = os.getppid() if 'launcher' in sys.argv else os.getpid()
    os.kill(target, getattr(signal, sys.argv[1]))
    time.sleep(60)
sys.exit(1)
