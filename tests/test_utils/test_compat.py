# Copyright (c) mmrecast contributors. All rights reserved.
import os.path as osp

import mmengine.utils
import numpy as np
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
