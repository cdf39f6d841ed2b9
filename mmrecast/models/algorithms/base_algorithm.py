# Copyright (c) mmrecast contributors. All rights reserved.
import os.path as osp
from typing import Dict, List, Optional, Tuple, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModel

from mmrecast.registry import MODELS
from mmrecast.utils.checkpoint import load_checkpoint_file
from ..recorders import resolve_module
from ..utils import InferenceCopy

__all__ = ['BaseAlgorithm', 'load_weights_into', 'resolve_checkpoint']


def _state_dict_of(checkpoint: dict) -> dict:
    return checkpoint.get('state_dict', checkpoint)


def resolve_checkpoint(path: str, field: str) -> str:
    """A checkpoint file, or a work dir's latest one (its
    ``last_checkpoint``, written by mmengine's CheckpointHook)."""
    if not osp.isdir(path):
        return path
    pointer = osp.join(path, 'last_checkpoint')
    if not osp.isfile(pointer):
        raise FileNotFoundError(f'{field}: {path} is a folder without a '
                                'last_checkpoint file; name the checkpoint '
                                'file, or run that stage first')
    with open(pointer) as f:
        return f.read().strip()


def load_weights_into(module: nn.Module,
                      checkpoint: str,
                      prefix: str = '',
                      field: str = 'checkpoint') -> None:
    """Load the entries of ``checkpoint`` under ``prefix`` into ``module``,
    strictly: every weight of the module must be there, nothing else.

    Args:
        module (nn.Module): Target module.
        checkpoint (str): File (weights-only loading), or a work dir whose
            latest checkpoint is meant.
        prefix (str): Key prefix of the module in the checkpoint, e.g.
            ``'student.'``; ``''`` for a file that holds just this module.
        field (str): Config field named in errors.
    """
    checkpoint = resolve_checkpoint(checkpoint, field)
    state = _state_dict_of(load_checkpoint_file(checkpoint, 'cpu'))
    picked = {k[len(prefix):]: v for k, v in state.items()
              if k.startswith(prefix)}
    if not picked:
        tops = sorted({k.split('.')[0] + '.' for k in state})
        raise KeyError(f'{field}: {checkpoint} has no weights under prefix '
                       f'{prefix!r}; its top-level prefixes are {tops}')
    result = module.load_state_dict(picked, strict=False)
    if result.missing_keys or result.unexpected_keys:
        raise KeyError(f'{field}: weights under {prefix!r} in {checkpoint} '
                       f'do not match {type(module).__name__}: missing '
                       f'{result.missing_keys[:4]}, unexpected '
                       f'{result.unexpected_keys[:4]}')


class BaseAlgorithm(BaseModel):
    """What every mmrecast algorithm shares.

    * A frozen teacher (:meth:`build_teacher`): built from a config, loaded
      weights-only from ``teacher_checkpoint``, no gradients, always in eval
      mode, never re-initialised. Its forward passes run on
      :meth:`teacher_runner`: with ``fast_teacher`` an inference twin
      (:class:`~mmrecast.models.utils.InferenceCopy`: BN folded, channels
      last on CPU), otherwise the teacher module itself.
    * ``init_from``: explicit weight hand-over between stages, applied after
      the normal initialisation (never at resume, which restores the whole
      algorithm). Each entry names the sub-module, the file and the key
      prefix, and loads strictly, e.g.
      ``dict(module='connectors.paraphraser',
      checkpoint='work_dirs/ft_pretrain/epoch_20.pth',
      prefix='connectors.paraphraser.')`` or ``dict(module='student',
      checkpoint='recast/student.pth', prefix='')``.
    * A ``ClsDataPreprocessor`` from mmpretrain unless another is given
      (the runner passes the config's top-level ``data_preprocessor``).

    Args:
        data_preprocessor (dict | nn.Module, optional): Preprocessor config.
        init_from (list[dict], optional): Weight hand-over, see above.
        init_cfg (dict, optional): Initialization config.
        fast_teacher (bool): Run the teacher's forward passes on its
            inference twin. Same results up to float rounding; set False
            to run the teacher module itself. Defaults to True.
    """

    def __init__(self,
                 data_preprocessor: Optional[Union[dict, nn.Module]] = None,
                 init_from: Optional[List[dict]] = None,
                 init_cfg: Optional[dict] = None,
                 fast_teacher: bool = True):
        if data_preprocessor is None:
            data_preprocessor = {}
        if isinstance(data_preprocessor, dict):
            data_preprocessor = dict(data_preprocessor)
            data_preprocessor.setdefault('type',
                                         'mmpretrain.ClsDataPreprocessor')
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.init_from = [dict(entry) for entry in init_from or []]
        for i, entry in enumerate(self.init_from):
            for key in ('module', 'checkpoint'):
                if key not in entry:
                    raise ValueError(f'init_from[{i}] needs {key!r}, e.g. '
                                     "dict(module='student', checkpoint="
                                     "'student.pth', prefix='')")
        self.teacher: Optional[nn.Module] = None
        self.fast_teacher = fast_teacher
        self._teacher_twin: Optional[InferenceCopy] = None

    def build_teacher(self, cfg: Union[dict, nn.Module],
                      checkpoint: Optional[str]) -> nn.Module:
        """Build, load (weights-only, strict) and freeze the teacher."""
        teacher = MODELS.build(cfg) if isinstance(cfg, dict) else cfg
        if checkpoint is not None:
            load_weights_into(
                teacher, checkpoint, field='teacher_checkpoint')
        for param in teacher.parameters():
            param.requires_grad_(False)
        teacher.eval()
        if hasattr(teacher, 'is_init'):
            teacher.is_init = checkpoint is not None
        self.teacher = teacher
        if self.fast_teacher:
            self._teacher_twin = InferenceCopy(teacher, dict(mode='tensor'))
        return teacher

    def teacher_runner(self) -> Union[nn.Module, InferenceCopy]:
        """What runs the teacher's (no-grad) forward passes, called as the
        teacher: its inference twin, or the teacher itself. Hooks registered
        on the teacher's modules fire in both."""
        return self._teacher_twin or self.teacher

    def train(self, mode: bool = True) -> 'BaseAlgorithm':
        """Set the mode; the teacher always stays in eval mode."""
        super().train(mode)
        if self.teacher is not None:
            self.teacher.eval()
        return self

    def init_weights(self) -> None:
        """Initialise as configured, then apply ``init_from``."""
        super().init_weights()
        for i, entry in enumerate(self.init_from):
            module = resolve_module(self, entry['module'],
                                    f'init_from[{i}].module')
            load_weights_into(
                module,
                entry['checkpoint'],
                prefix=entry.get('prefix', entry['module'] + '.'),
                field=f'init_from[{i}]')

    @staticmethod
    def build_losses(cfgs: Dict[str, dict], input_keys: Tuple[str, ...]
                     ) -> Tuple[nn.ModuleDict, Dict[str, dict]]:
        """Build named losses, popping the keys that say what they compare.

        Returns:
            tuple: ``nn.ModuleDict`` of losses and, per loss, the popped
            ``input_keys`` values.
        """
        losses, inputs = nn.ModuleDict(), {}
        for name, cfg in cfgs.items():
            if not name.startswith('loss'):
                raise ValueError(f"loss names must start with 'loss' (so "
                                 f'that they are summed and logged), got '
                                 f'{name!r}')
            cfg = dict(cfg)
            inputs[name] = {key: cfg.pop(key, None) for key in input_keys}
            losses[name] = MODELS.build(cfg)
        return losses, inputs
