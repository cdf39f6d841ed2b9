# Copyright (c) mmrecast contributors. All rights reserved.
"""tools/analysis/compare_models.py on two zoo models (ResNet-20 and
ConvNet-20) with real CIFAR-10 test images."""
import pytest
import torch

from mmrecast.analysis import load_classifier
from mmrecast.utils.complexity import count_params
from tests.helpers import on_cifar10_folder, run_tool, top1_in_process

pytestmark = pytest.mark.slow  # runs the tools in subprocesses


def test_compare_two_zoo_models(tmp_path, cifar10_tiny):
    configs, checkpoints, params = [], [], []
    for name in ('resnet_cifar/resnet20_1xb128_cifar10.py',
                 'convnet/convnet20_1xb128_cifar10.py'):
        config = on_cifar10_folder(name, tmp_path, cifar10_tiny)
        model, _ = load_classifier(str(config), None)
        params.append(count_params(model))
        ckpt = tmp_path / (config.stem + '.pth')
        torch.save(model.state_dict(), ckpt)
        configs.append(config)
        checkpoints.append(ckpt)
    out = tmp_path / 'report'
    result = run_tool([
        'analysis/compare_models.py', configs[0], checkpoints[0], configs[1],
        checkpoints[1], '--names', 'resnet20', 'convnet20', '--out-dir', out,
        '--min-run-time', '0.1', '--batch-sizes', '1', '8', '--runtime',
        'torch', 'torch.export', 'onnxruntime'
    ], cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:]
    table = (out / 'report.md').read_text()
    # one input shape, one test set (a busy machine may warn otherwise)
    assert 'different inputs' not in table
    assert 'different data' not in table
    rows = {
        line.split('|')[1].strip(): line.split('|')[2:4]
        for line in table.splitlines() if line.startswith('| ')
    }
    # ResNet-20 with projection shortcuts, and its plain counterpart
    assert f'{params[0] / 1e6:.3f}' == '0.272' and params[1] < params[0]
    assert [v.split()[0] for v in rows['parameters (M)']] == [
        f'{p / 1e6:.3f}' for p in params]
    macs = [float(v.split()[0]) for v in rows['MACs (M, BN folded)']]
    assert macs[1] < macs[0]
    for runtime in ('torch', 'torch.export', 'onnxruntime'):
        for batch in (1, 8):
            key = f'latency {runtime} cpu b{batch} (ms, '
            median = [float(v.split()[0]) for v in rows[key + 'median)']]
            least = [float(v.split()[0]) for v in rows[key + 'min)']]
            assert all(0 < m <= x for m, x in zip(least, median)), key
    top1 = [round(top1_in_process(c, k, cifar10_tiny), 2)
            for c, k in zip(configs, checkpoints)]
    assert [float(v.split()[0]) for v in rows['accuracy/top1']] == top1
    in_runtime = [
        float(v.split()[0]) for v in rows['accuracy/top1 (onnxruntime)']]
    assert in_runtime == pytest.approx(top1, abs=0.1)
    assert (out / 'resnet20.onnx').is_file()
    # the stem and the 9 blocks of each network
    assert table.count('| backbone.layer') == 18
    assert (out / 'report.png').read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'
