# Copyright (c) mmrecast contributors. All rights reserved.
"""A non-editable install (a wheel built from a copy of the repository)
carries configs, tools and model-index.yml in mmrecast/.mim, as mim needs:
the packaged train tool trains a packaged config by name, and a user
config inherits from it with ``_base_ = 'mmrecast::...'``."""
import os
import shutil
import subprocess
import sys

import pytest

from tests.helpers import REPO, find_data

pytestmark = pytest.mark.slow  # builds a wheel, trains in subprocesses

DEMO = 'demo/demo_resnet14_1xb128_mnist.py'
SHORT = [
    '--cfg-options', 'train_cfg.max_iters=2', 'train_cfg.val_interval=2',
    'default_hooks.logger.interval=1', 'val_dataloader.dataset.indices=50'
]


def _run(cmd, cwd, site):
    env = dict(os.environ, PYTHONPATH=str(site))  # before the editable one
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:]
    return proc.stdout


@pytest.fixture(scope='module')
def site(tmp_path_factory):
    """mmrecast installed from its wheel into a folder of its own."""
    root = tmp_path_factory.mktemp('package')
    source = root / 'source'
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        '.git', '.venv', 'data', 'work_dirs', 'build', '*.egg-info', '.mim',
        '__pycache__'))
    pip = [sys.executable, '-m', 'pip', '-q', '--disable-pip-version-check']
    _run([*pip, 'wheel', '--no-deps', '--no-build-isolation', '-w',
          root / 'dist', source], root, '')
    wheel, = (root / 'dist').glob('mmrecast-*.whl')
    _run([*pip, 'install', '--no-deps', '--target', root / 'site', wheel],
         root, '')
    return root / 'site'


def test_wheel_carries_configs_tools_and_model_index(site):
    mim = site / 'mmrecast' / '.mim'
    assert (mim / 'model-index.yml').is_file()
    assert (mim / 'configs' / DEMO).is_file()
    assert (mim / 'tools' / 'train.py').is_file()
    assert (mim / 'tools' / 'deployment' / 'pytorch2onnx.py').is_file()
    assert not (mim / 'configs' / 'demo' / 'logs').exists()


def test_packaged_tool_trains_packaged_and_derived_configs(site, tmp_path):
    """What ``mim train mmrecast CONFIG`` runs, and a config of the user's
    on top of a packaged one."""
    (tmp_path / 'data').symlink_to(find_data('mnist').parent)
    mim = site / 'mmrecast' / '.mim'
    out = _run([sys.executable, mim / 'tools' / 'train.py',
                mim / 'configs' / DEMO, '--work-dir', tmp_path / 'w1',
                *SHORT], tmp_path, site)
    assert 'Iter(train) [2/2]' in out
    (tmp_path / 'mine.py').write_text(
        f"_base_ = 'mmrecast::{DEMO}'\n"
        'optim_wrapper = dict(optimizer=dict(lr=0.05))\n')
    out = _run([sys.executable, mim / 'tools' / 'train.py', 'mine.py',
                '--work-dir', tmp_path / 'w2', *SHORT], tmp_path, site)
    assert 'Iter(train) [2/2]' in out and 'lr=0.05' in out
    where = _run([sys.executable, '-c',
                  'import mmrecast; print(mmrecast.__file__)'], tmp_path,
                 site)
    assert where.strip() == str(site / 'mmrecast' / '__init__.py')
