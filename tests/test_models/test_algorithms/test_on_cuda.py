# Copyright (c) mmrecast contributors. All rights reserved.
"""Recasting on a CUDA GPU builds the weights it builds on the CPU. CI has no
GPU: these run where one is (``pytest -m cuda``, which
tools/benchmarks/gpu_check.sh does first)."""
import pytest
import torch

from mmrecast.apis import register_all_modules
from mmrecast.registry import MODELS
from tests.helpers import RESNET20

register_all_modules()

pytestmark = [
    pytest.mark.cuda,
    pytest.mark.skipif(
        not torch.cuda.is_available(),
        reason='needs a CUDA GPU (tools/benchmarks/gpu_check.sh runs it)')
]

RECASTERS = {
    'conv': dict(type='BasicBlockToConv'),
    'slim': dict(type='BasicBlockSlim', ratio=0.5),
    'reduce': dict(type='BasicBlockReduce', ratio=0.5),
}


def _algo(recaster: dict, mode: str, device: str):
    torch.manual_seed(0)
    algo = MODELS.build(
        dict(
            type='BlockRecast',
            teacher=RESNET20,
            plan=dict(steps=[dict(blocks='backbone.layer*.*',
                                  recaster=recaster)]),
            mode=mode))
    algo.init_weights()
    return algo.to(device)


@pytest.mark.parametrize('name, mode', [('conv', 'sequential'),
                                        ('conv', 'parallel'),
                                        ('slim', 'sequential'),
                                        ('reduce', 'sequential')])
def test_stages_on_cuda_build_the_cpu_weights(name, mode):
    cpu = _algo(RECASTERS[name], mode, 'cpu')
    gpu = _algo(RECASTERS[name], mode, 'cuda')
    probe = torch.zeros(2, 3, 32, 32)
    assert gpu.check_plan(probe.cuda()) == cpu.check_plan(probe)
    x = torch.randn(4, 3, 32, 32)
    for stage in range(cpu.num_stages):
        cpu.begin_stage(stage)
        gpu.begin_stage(stage)
        gpu.train()
        loss = gpu(x.cuda(), mode='loss')['loss_recast']
        loss.backward()
        assert torch.isfinite(loss)
    # (BN statistics moved with the GPU forwards: parameters only)
    expected = dict(cpu.student.named_parameters())
    for key, value in gpu.student.named_parameters():
        assert torch.equal(value.cpu(), expected[key]), key
    assert all(t.is_cuda for t in gpu.state_dict().values())
