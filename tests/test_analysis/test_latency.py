# Copyright (c) mmrecast contributors. All rights reserved.
import torch

from mmrecast.analysis import (ModelReport, compare_latency, exported_module,
                               forward_fn)
from mmrecast.registry import MODELS
from tests.helpers import cifar_resnet


def _model():
    torch.manual_seed(0)
    return MODELS.build(cifar_resnet(8)).eval()


def test_exported_module_computes_the_logits_at_any_batch():
    model = _model()
    program = exported_module(model, (3, 32, 32), 'cpu')
    for batch in (1, 5):
        x = torch.randn(batch, 3, 32, 32)
        with torch.no_grad():
            expected = model(x, mode='tensor')
        torch.testing.assert_close(program(x), expected)
    torch.manual_seed(1)
    timed = forward_fn(4, (3, 32, 32), program=program)()
    torch.manual_seed(1)  # the same random images
    assert torch.equal(timed, forward_fn(4, (3, 32, 32), model=model)())


def test_compare_latency_times_each_runtime_asked_for():
    report = ModelReport(name='r8', params=0, macs=0, input_shape=(3, 32, 32))
    compare_latency([report], [_model()], [None], batch_sizes=(2, ),
                    min_run_time=0.01, export=True)
    assert sorted(report.latency_ms) == ['torch cpu b2',
                                         'torch.export cpu b2']
    assert all(0 < report.latency_min_ms[k] <= report.latency_ms[k]
               for k in report.latency_ms)
