# Copyright (c) mmrecast contributors. All rights reserved.
import inspect
from abc import ABCMeta, abstractmethod
from typing import Optional

import torch
import torch.nn as nn

from .block_io import BlockIO, block_io
from .init import reset_block

__all__ = ['BaseRecaster']


class BaseRecaster(metaclass=ABCMeta):
    """Turns a source block into a new target block.

    The whole contract is :meth:`make_target`: read what it needs from the
    source (``io`` gives its widths and stride, read from the *current*
    student, so chained filter reductions compose) and return a fresh
    module. :meth:`build_target` adds the reference initialisation. A user's
    block type is one new file: subclass, implement ``make_target``,
    decorate with ``@RECASTERS.register_module()``.
    """

    @abstractmethod
    def make_target(self, source: nn.Module, io: BlockIO) -> nn.Module:
        """The target block (its weights are reset afterwards)."""

    def build_target(self,
                     source: nn.Module,
                     generator: torch.Generator,
                     io: Optional[BlockIO] = None) -> nn.Module:
        """The initialised target for ``source`` (``io``: its measured
        widths and stride; read from the block when not given)."""
        return reset_block(
            self.make_target(source, io or block_io(source)), generator)

    def __repr__(self) -> str:
        """The recaster as configured: arguments left at their defaults
        are not shown (``BasicBlockToConv()``, ``BasicBlockToConv(groups=2)``).
        """
        defaults = {
            name: p.default for name, p in inspect.signature(
                type(self).__init__).parameters.items()
            if p.default is not inspect.Parameter.empty
        }
        args = ', '.join(f'{k}={v!r}' for k, v in vars(self).items()
                         if k not in defaults or v != defaults[k])
        return f'{type(self).__name__}({args})'
