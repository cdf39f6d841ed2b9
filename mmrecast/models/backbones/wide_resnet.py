# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Optional, Sequence, Union

from mmrecast.registry import MODELS
from mmrecast.utils.errors import ConfigError
from .cifar_resnet import CifarResNet

__all__ = ['WideResNet']


@MODELS.register_module()
class WideResNet(CifarResNet):
    """Wide ResNet WRN-d-k for CIFAR, post-activation, without dropout.

    Reference: Zagoruyko, Komodakis, "Wide Residual Networks", BMVC 2016.
    ``n = (d - 4) / 6`` basic blocks per stage of widths ``16k, 32k, 64k``,
    a bare 3x3 stem conv and 1x1 conv + BN projection shortcuts, as in the
    network recasting reference code (WRN-28-10: 36.5 M parameters).

    Blocks: ``layer{1,2,3}.{j}``.

    Args:
        depth (int): Depth d (``6n + 4``: 16, 22, 28, 40).
        widen_factor (int): Width factor k.
        shortcut (str): ``'A'`` or ``'B'``. Defaults to ``'B'``.
        in_channels (int): Input image channels. Defaults to 3.
        out_indices (Sequence[int] | int): Stages to output. Defaults to -1.
        init_cfg (dict, optional): Initialization config.
    """

    def __init__(self,
                 depth: int,
                 widen_factor: int,
                 shortcut: str = 'B',
                 in_channels: int = 3,
                 out_indices: Union[int, Sequence[int]] = -1,
                 init_cfg: Optional[dict] = None):
        if (depth - 4) % 6 != 0:
            raise ConfigError(f'WideResNet: depth={depth} is not 6n + 4; '
                              'use e.g. 16, 22, 28 or 40')
        # the same layout as a basic-block CIFAR ResNet of depth 6n + 2
        super().__init__(
            depth=depth - 2,
            block='basic',
            shortcut=shortcut,
            stem_norm=False,
            base_channels=16,
            widen_factor=widen_factor,
            in_channels=in_channels,
            out_indices=out_indices,
            init_cfg=init_cfg)
        self.depth = depth
        self.widen_factor = widen_factor
