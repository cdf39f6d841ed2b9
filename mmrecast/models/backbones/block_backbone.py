# Copyright (c) mmrecast contributors. All rights reserved.
from typing import List, Optional, Sequence, Tuple, Union

import torch
from mmengine.model import BaseModule

from mmrecast.utils.complexity import has_parameters
from mmrecast.utils.errors import ConfigError

__all__ = ['BlockBackbone']

#: Kaiming-normal convs (fan-out), unit BN: the zoo's initialisation.
DEFAULT_INIT = [
    dict(type='Kaiming', layer='Conv2d', mode='fan_out',
         nonlinearity='relu', bias=0, distribution='normal'),
    dict(type='Constant', layer=['BatchNorm2d', 'BatchNorm1d'], val=1,
         bias=0)
]


class BlockBackbone(BaseModule):
    """A ``stem`` followed by stages, each an ``nn.Sequential`` of blocks.

    This is the one layout every mmrecast backbone shares, so that a block
    can be named, read and rebuilt the same way in every family:

    * ``self.stem``: the input layers (``nn.Identity`` when there are none);
    * ``self.stage_names``: attribute names of the stages, in order;
    * a *block* is a child of a stage that has parameters (pooling layers
      between blocks are not blocks). :meth:`block_names` lists blocks by
      module path relative to the backbone, in forward order, e.g.
      ``['layer1.0', 'layer1.1', ..., 'layer3.8']``. Recast plans address
      blocks by these paths (prefixed with ``backbone.`` inside a
      classifier).

    Subclasses build ``stem`` and the stages and call
    ``super().__init__``; ``forward`` is shared.

    Args:
        out_indices (Sequence[int] | int): Stages whose outputs are returned.
            Defaults to the last stage (``-1``).
        init_cfg (dict | list[dict], optional): Initialization config.
            Defaults to :data:`DEFAULT_INIT`.
    """

    stage_names: List[str]

    def __init__(self,
                 out_indices: Union[int, Sequence[int]] = -1,
                 init_cfg: Optional[Union[dict, List[dict]]] = None):
        super().__init__(
            init_cfg=DEFAULT_INIT if init_cfg is None else init_cfg)
        if isinstance(out_indices, int):
            out_indices = [out_indices]
        self.out_indices = tuple(out_indices)

    def _check_out_indices(self) -> None:
        num = len(self.stage_names)
        for index in self.out_indices:
            if not -num <= index < num:
                raise ConfigError(
                    f'{type(self).__name__}: out_indices={index} is out of '
                    f'range for {num} stages; use 0..{num - 1} or -1')

    def block_names(self) -> List[str]:
        """Module paths of the blocks, relative to the backbone."""
        names = []
        for stage_name in self.stage_names:
            stage = getattr(self, stage_name)
            for child_name, child in stage.named_children():
                if has_parameters(child):
                    names.append(f'{stage_name}.{child_name}')
        return names

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        x = self.stem(x)
        num = len(self.stage_names)
        wanted = {i % num for i in self.out_indices}
        outs = []
        for i, stage_name in enumerate(self.stage_names):
            x = getattr(self, stage_name)(x)
            if i in wanted:
                outs.append(x)
        return tuple(outs)
