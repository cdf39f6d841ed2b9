# Copyright (c) mmrecast contributors. All rights reserved.
import os
import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # trains in a subprocess

# training steps of a small conv net (4 MB activations, as a CIFAR batch of
# 64): print whether the tuning applies and the page faults per step
_SCRIPT = '''
import resource, torch
from mmrecast.utils import keep_freed_memory
print(keep_freed_memory())
torch.set_num_threads(1)
net = torch.nn.Sequential(*[
    m for _ in range(4) for m in (torch.nn.Conv2d(16, 16, 3, padding=1),
                                  torch.nn.BatchNorm2d(16), torch.nn.ReLU())])
x = torch.randn(64, 16, 32, 32)
def step():
    net(x).square().mean().backward()
    net.zero_grad(set_to_none=True)
for _ in range(3):
    step()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(10):
    step()
print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 10)
'''


def _run(tuning: str):
    env = dict(os.environ, MMRECAST_MALLOC_TUNING=tuning)
    out = subprocess.run([sys.executable, '-c', _SCRIPT],
                         env=env,
                         capture_output=True,
                         text=True,
                         check=True).stdout.split()
    return out[-2] == 'True', float(out[-1])


@pytest.mark.skipif(
    platform.libc_ver()[0] != 'glibc', reason='tunes glibc malloc')
def test_training_steps_reuse_freed_memory():
    applied, tuned = _run('1')
    assert applied
    applied, plain = _run('0')  # the opt-out leaves glibc as it is
    assert not applied
    # measured: ~200 faults per step tuned, ~7600 with glibc's defaults
    # (each fault is a fresh 4 kB page the kernel must zero)
    assert tuned * 5 < plain, (tuned, plain)
