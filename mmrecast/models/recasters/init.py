# Copyright (c) mmrecast contributors. All rights reserved.
import torch
import torch.nn as nn

__all__ = ['reset_block']


def reset_block(block: nn.Module, generator: torch.Generator) -> nn.Module:
    """Random init of a new block, as the recasting reference: Xavier-uniform
    conv and linear weights, zero biases, default BN (weight 1, bias 0,
    fresh statistics).

    The draws come from ``generator`` (seeded per recast step), so a resumed
    run rebuilds exactly the blocks an uninterrupted run built.
    """
    for m in block.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight, generator=generator)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.reset_parameters()
    return block
