# Copyright (c) mmrecast contributors. All rights reserved.
import torch.nn as nn

from mmrecast.registry import RECASTERS
from .base_recaster import BaseRecaster
from .block_io import BlockIO

__all__ = ['BasicBlockToRepVGG']


@RECASTERS.register_module()
class BasicBlockToRepVGG(BaseRecaster):
    """Residual basic block (in, out, stride) -> mmpretrain's
    ``RepVGGBlock``: a 3x3 Conv-BN, a 1x1 Conv-BN and (at equal widths,
    stride 1) a BN'd identity, summed, then ReLU.

    Trained, the block keeps a residual path, which a stack of plain convs
    lacks when it is fine-tuned; deployed, its branches merge into one 3x3
    conv with bias (``switch_to_deploy``, which the exporters and the plan
    search call: :func:`~mmrecast.models.utils.as_deployed`), so it runs
    exactly as :class:`BasicBlockToConv`'s conv does. Reads widths as
    :class:`BasicBlockToConv` does.

    Args:
        deploy (bool): Build the merged block (one 3x3 conv with bias, then
            ReLU), mmpretrain's ``deploy=True``: the form in which
            ``tools/export_student.py`` writes a student, with merged
            weights. Defaults to False.
    """

    def __init__(self, deploy: bool = False):
        self.deploy = deploy

    def make_target(self, source: nn.Module, io: BlockIO) -> nn.Module:
        # imported here: mmpretrain.models is slow to import and warns
        # about mmcv-lite, which every `import mmrecast` would pay
        from mmpretrain.models.backbones.repvgg import RepVGGBlock
        return RepVGGBlock(io.in_channels, io.out_channels, io.stride,
                           deploy=self.deploy)
