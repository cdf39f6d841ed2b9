# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
import torch
import torch.distributed as dist
from mmengine.config import Config

from mmrecast.utils import ConfigError, init_cpu_distributed
from tests.helpers import free_port


def test_non_distributed_is_untouched():
    cfg = Config(dict(launcher='none'))
    assert not init_cpu_distributed(cfg)
    assert 'model_wrapper_cfg' not in cfg


@pytest.mark.skipif(torch.cuda.is_available(), reason='checks the CPU path')
def test_pytorch_launcher_on_cpu_uses_gloo(monkeypatch):
    port = free_port()
    for key, value in dict(RANK='0', WORLD_SIZE='1', LOCAL_RANK='0',
                           MASTER_ADDR='127.0.0.1',
                           MASTER_PORT=port).items():
        monkeypatch.setenv(key, value)
    cfg = Config(dict(launcher='pytorch'))
    try:
        assert init_cpu_distributed(cfg)
        assert dist.is_initialized() and dist.get_backend() == 'gloo'
        assert cfg.env_cfg.dist_cfg.backend == 'gloo'
        assert cfg.model_wrapper_cfg.device_ids is None
        assert cfg.model_wrapper_cfg.type == 'MMDistributedDataParallel'
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()


def test_missing_launcher_environment_is_explained(monkeypatch):
    if torch.cuda.is_available():
        pytest.skip('checks the CPU path')
    for key in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'SLURM_PROCID'):
        monkeypatch.delenv(key, raising=False)
    with pytest.raises(ConfigError, match=r"^launcher='pytorch' but \$RANK "
                       'is not set; start the job with its launcher'):
        init_cpu_distributed(Config(dict(launcher='pytorch')))
    # a slurm job not started by srun: a KeyError traceback once
    with pytest.raises(ConfigError, match=r"^launcher='slurm' but "
                       r'\$SLURM_PROCID is not set'):
        init_cpu_distributed(Config(dict(launcher='slurm')))
