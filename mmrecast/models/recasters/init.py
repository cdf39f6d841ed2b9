# Copyright (c) mmrecast contributors. All rights reserved.
import torch
import torch.nn as nn

__all__ = ['reset_block']

_BATCH_NORMS = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d,
                nn.SyncBatchNorm)


def reset_block(block: nn.Module, generator: torch.Generator) -> nn.Module:
    """Random init of a new block, as the recasting reference: Xavier-uniform
    conv and linear weights, zero biases, default BN (weight 1, bias 0,
    fresh statistics); any other layer with parameters is reset by its own
    ``reset_parameters`` (so a block of any type can be re-initialised).

    The draws come from ``generator`` (seeded per recast step), so a resumed
    run rebuilds exactly the blocks an uninterrupted run built.
    """
    for m in block.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight, generator=generator)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, _BATCH_NORMS):
            m.reset_parameters()
        elif hasattr(m, 'reset_parameters') and not any(m.children()) \
                and any(True for _ in m.parameters(recurse=False)):
            m.reset_parameters()
    return block
