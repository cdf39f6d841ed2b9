# Copyright (c) mmrecast contributors. All rights reserved.
import inspect
from abc import ABCMeta, abstractmethod
from typing import Optional

import torch
import torch.nn as nn

from mmrecast.utils.errors import ConfigError
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
    decorate with ``@RECASTERS.register_module()``; one for blocks that
    are not on image feature maps (tokens) also overrides :meth:`unfit_for`.
    """

    @abstractmethod
    def make_target(self, source: nn.Module, io: BlockIO) -> nn.Module:
        """The target block (its weights are reset afterwards)."""

    def unfit_for(self, in_shape: tuple, io: BlockIO) -> Optional[str]:
        """Why no target of this recaster can stand in for a block that
        takes inputs of ``in_shape`` (measured); None when one can.

        mmrecast's targets are convolutions, for image feature maps
        (N, C, H, W); a recaster for other blocks (a transformer's tokens)
        overrides this.
        """
        if len(in_shape) != 4:
            return ('builds convolutions, for blocks on image feature maps '
                    '(N, C, H, W)')
        return None

    #: What to do instead where :meth:`unfit_for` refuses a block.
    instead = ('remove it with BlockToShortcut, or give a recaster of your '
               'own that builds its target')

    def check_fits(self, block: str, in_shape: tuple, io: BlockIO,
                   field: str) -> None:
        """Refuse, in one line naming ``field``, a ``block`` this recaster
        cannot recast (:meth:`unfit_for`)."""
        why = self.unfit_for(in_shape, io)
        if why is not None:
            raise ConfigError(
                f'{field}: {self!r} {why}; {block} takes inputs of shape '
                f'{tuple(in_shape)}: {self.instead}')

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
