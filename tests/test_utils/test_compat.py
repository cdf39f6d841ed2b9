# Copyright (c) mmrecast contributors. All rights reserved.
import os.path as osp

import mmengine.utils
import numpy as np
import pytest
from mmengine.config import Config

# the compatibility layer is on: tests/conftest.py turns it on as the tools


def test_package_helpers_work_without_pkg_resources():
    is_installed = mmengine.utils.is_installed
    get_installed_path = mmengine.utils.get_installed_path
    assert is_installed('mmpretrain')
    assert not is_installed('surely-not-a-package-xyz')
    path = get_installed_path('mmpretrain')
    assert osp.isfile(osp.join(path, '__init__.py'))
    # a distribution whose module has another name
    assert osp.basename(get_installed_path('mmcv-lite')) == 'mmcv'


def test_mmpretrain_base_config_reference(tmp_path):
    cfg_file = tmp_path / 'uses_mmpretrain_base.py'
    cfg_file.write_text(
        "_base_ = ['mmpretrain::_base_/models/resnet18_cifar.py']\n"
        'model = dict(head=dict(num_classes=7))\n')
    cfg = Config.fromfile(str(cfg_file))
    assert cfg.model.backbone.type == 'ResNet_CIFAR'
    assert cfg.model.head.num_classes == 7


def test_retrieval_metrics_run_under_numpy2():
    from mmpretrain.evaluation.metrics.retrieval import RetrievalRecall
    pred = np.array([[0.9, 0.1, 0.5], [0.2, 0.8, 0.1]])
    target = [np.array([0]), np.array([2])]
    recall = RetrievalRecall.calculate(
        pred, target, topk=(1, 3), target_indices=True)
    assert [float(r) for r in recall] == [50.0, 100.0]
    assert np.in1d([1, 5], [5]).tolist() == [False, True]


_SNAPSHOT = '''
import json, os, sys
import numpy as np
import torch
import mmengine.config.config as config_module
import mmengine.hub.hub as hub_module
import mmengine.utils as utils_module
from mmengine.config.utils import MODULE2PACKAGE
from mmengine.logging import HistoryBuffer
from mmengine.runner import CheckpointLoader


def snapshot():
    helpers = {f'{m.__name__}.{name}': repr(getattr(m, name, None))
               for m in (utils_module, config_module, hub_module)
               for name in ('is_installed', 'get_installed_path')}
    return dict(
        # test-only look at mmengine's loader table: what import may not touch
        loaders={k: repr(v) for k, v in CheckpointLoader._schemes.items()},
        helpers=helpers,
        in1d=repr(getattr(np, 'in1d', None)),
        config_packages=sorted(MODULE2PACKAGE),
        history_buffer=repr(HistoryBuffer.__getstate__),
        safe_globals=repr(torch.serialization.get_safe_globals()),
        torch=[str(torch.get_default_dtype()), torch.get_num_threads(),
               torch.is_grad_enabled(),
               torch.are_deterministic_algorithms_enabled(),
               torch.backends.cuda.matmul.allow_tf32,
               torch.backends.cudnn.allow_tf32,
               torch.backends.cudnn.benchmark],
        env=sorted(os.environ.items()))


# what the dependencies change when imported is theirs (cv2 sets Qt paths,
# torch.distributed allow-lists its types): import them first
import mmcv.cnn, mmengine.analysis, mmengine.runner  # noqa
import mmpretrain.evaluation, mmpretrain.models, torchvision  # noqa
before = snapshot()
import mmrecast, mmrecast.analysis, mmrecast.apis, mmrecast.engine  # noqa
import mmrecast.models, mmrecast.utils  # noqa
imported = snapshot()
mmrecast.utils.apply_compat_patches()
patched = snapshot()
print(json.dumps(dict(
    import_changed=[k for k in before if before[k] != imported[k]],
    compat_changed=[k for k in before if before[k] != patched[k]])))
'''


@pytest.mark.slow
def test_import_changes_nothing_outside_mmrecast():
    """``import mmrecast.*`` leaves mmengine, numpy and torch as they were;
    turning the compatibility layer on is what changes them."""
    import json
    import subprocess
    import sys
    proc = subprocess.run([sys.executable, '-c', _SNAPSHOT],
                          capture_output=True,
                          text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result['import_changed'] == []
    # the check sees the changes the layer makes on purpose
    assert {'loaders', 'history_buffer',
            'config_packages'} <= set(result['compat_changed'])
