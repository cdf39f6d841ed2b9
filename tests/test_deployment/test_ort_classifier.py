# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
import torch
from mmpretrain.structures import DataSample

from mmrecast.apis import register_all_modules
from mmrecast.deployment import ONNXRuntimeClassifier, export_onnx
from mmrecast.registry import MODELS
from mmrecast.utils.errors import ConfigError

pytest.importorskip('onnxruntime', reason='the deploy extra')
register_all_modules()

PREPROCESSOR = dict(
    type='mmpretrain.ClsDataPreprocessor',
    mean=[125.0, 123.0, 114.0],
    std=[63.0, 62.0, 66.0],
    to_rgb=True)


def _classifier():
    """An initialised ConvNet-8 classifier of CIFAR-10's shape."""
    model = MODELS.build(
        dict(
            type='ImageClassifier',
            _scope_='mmpretrain',
            data_preprocessor=PREPROCESSOR,
            backbone=dict(type='mmrecast.ConvNet', depth=8),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(type='LinearClsHead', num_classes=10,
                      in_channels=64))).eval()
    model.init_weights()
    return model


def test_predictions_match_the_torch_classifier(tmp_path):
    model = _classifier()
    onnx = str(tmp_path / 'm.onnx')
    export_onnx(model, torch.randn(1, 3, 32, 32), onnx, dynamic=True)
    runtime = ONNXRuntimeClassifier(
        onnx, data_preprocessor=PREPROCESSOR, threads=1, spinning=False)
    # timed on the threads asked for (compare_models.py --threads), and
    # with idle workers asleep, as compare_models.py times it
    options = runtime.session.get_session_options()
    assert options.intra_op_num_threads == 1
    assert options.get_session_config_entry(
        'session.intra_op.allow_spinning') == '0'
    images = [torch.randint(0, 256, (3, 32, 32), dtype=torch.uint8)
              for _ in range(6)]

    def batch():  # samples of their own: test_step writes into them
        return dict(
            inputs=images,
            data_samples=[DataSample().set_gt_label(i) for i in range(6)])

    with torch.no_grad():
        expected = model.test_step(batch())
    actual = runtime.test_step(batch())
    for want, got in zip(expected, actual):
        assert torch.allclose(got.pred_score, want.pred_score, atol=1e-5)
        assert torch.equal(got.pred_label, want.pred_label)
        assert torch.equal(got.gt_label, want.gt_label)


def test_missing_onnx_file_is_one_line(tmp_path):
    with pytest.raises(ConfigError, match='no such file'):
        ONNXRuntimeClassifier(str(tmp_path / 'absent.onnx'))


def test_data_of_another_shape_than_the_model_takes_is_one_line(tmp_path):
    # a CIFAR-10 model tested on MNIST's config: an onnxruntime traceback
    model = _classifier()
    for dynamic, takes in ((False, '(1, 3, 32, 32)'), (True, '(?, 3, ?, ?)')):
        onnx = str(tmp_path / f'm{dynamic}.onnx')
        export_onnx(model, torch.randn(1, 3, 32, 32), onnx, dynamic=dynamic)
        runtime = ONNXRuntimeClassifier(onnx, threads=1)
        with pytest.raises(ConfigError) as error:
            runtime(torch.zeros(2, 1, 28, 28), mode='tensor')
        assert str(error.value) == (
            f"the ONNX model takes inputs {takes}, the config's data give "
            '(2, 1, 28, 28): run it with the config it was exported from')
        assert runtime(torch.zeros(2, 3, 32, 32), mode='tensor').shape[0] == 2
