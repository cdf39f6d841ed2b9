# Copyright (c) mmrecast contributors. All rights reserved.
from typing import List, Mapping, Optional, Type, Union

import torch.nn as nn
from mmengine.model import BaseModel

from mmrecast.registry import MODELS
from mmrecast.utils.errors import ConfigError
from mmrecast.utils.weights import load_weights_into
from ..recorders import FeatureRecorder, resolve_module
from ..utils import InferenceCopy

__all__ = ['BaseAlgorithm']


def _teacher_changed(algorithm: 'BaseAlgorithm', incompatible_keys) -> None:
    """Load post-hook: the teacher's weights may be new."""
    if algorithm.teacher_twin is not None:
        algorithm.teacher_twin.invalidate()


class BaseAlgorithm(BaseModel):
    """What every mmrecast algorithm shares.

    * A frozen teacher (:meth:`build_teacher`): built from a config, loaded
      weights-only and strictly from ``teacher_checkpoint``, no gradients,
      always in eval mode. Its forward passes run on :meth:`teacher_runner`:
      with ``fast_teacher`` an inference twin (:class:`InferenceCopy`),
      otherwise the teacher module itself. Recorders of the teacher come
      from :meth:`record_teacher`, which puts them where the teacher runs.
    * ``init_from``: explicit, strict weight hand-over between stages,
      applied after the normal initialisation (never at resume, which
      restores the whole algorithm), e.g.
      ``dict(module='student', checkpoint='work_dirs/recast',
      prefix='student.')``.
    * A ``ClsDataPreprocessor`` from mmpretrain unless another is given.
    * :meth:`student_config`: the student's model config, for export.

    Args:
        data_preprocessor (dict | nn.Module, optional): Preprocessor config.
        init_from (list[dict], optional): Weight hand-over, see above.
        init_cfg (dict, optional): Initialization config.
        fast_teacher (bool): Run the teacher on its inference twin. Same
            results up to float rounding. Defaults to True.
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
                if not isinstance(entry.get(key), str):
                    raise ConfigError(f'init_from[{i}] needs {key!r}, e.g. '
                                      "dict(module='student', checkpoint="
                                      "'student.pth', prefix='')")
        self.teacher: Optional[nn.Module] = None
        self.fast_teacher = fast_teacher
        self.teacher_twin: Optional[InferenceCopy] = None
        self.register_load_state_dict_post_hook(_teacher_changed)

    @classmethod
    def student_config(cls, model_cfg: dict) -> dict:
        """The student's model config in a config of this algorithm (what
        export writes). Defaults to ``model_cfg['student']``."""
        if 'student' not in model_cfg:
            raise ConfigError(f'model.student is not in the config (model '
                              f'type {model_cfg.get("type")}); export needs '
                              'the config of a distill or recast run')
        return model_cfg['student']

    def build_teacher(self, cfg: Union[dict, nn.Module],
                      checkpoint: Optional[str]) -> nn.Module:
        """Build, load (weights-only, strict) and freeze the teacher."""
        teacher = MODELS.build(cfg) if isinstance(cfg, dict) else cfg
        if checkpoint is not None:
            load_weights_into(
                teacher, checkpoint, field='teacher_checkpoint')
        teacher.requires_grad_(False)
        teacher.eval()
        if hasattr(teacher, 'is_init'):
            teacher.is_init = checkpoint is not None
        self.teacher = teacher
        if self.fast_teacher:
            self.teacher_twin = InferenceCopy(teacher, dict(mode='tensor'))
        return teacher

    def teacher_runner(self) -> Union[nn.Module, InferenceCopy]:
        """What runs the teacher's (no-grad) forward passes, called as the
        teacher: its inference twin, or the teacher itself."""
        return self.teacher_twin or self.teacher

    def record_teacher(self,
                       sources: Mapping[str, str],
                       field: str,
                       recorder: Type[FeatureRecorder] = FeatureRecorder
                       ) -> FeatureRecorder:
        """A recorder of teacher modules, attached where the teacher runs
        (:meth:`teacher_runner`)."""
        made = recorder(self.teacher, sources, field)  # checks the paths
        if self.teacher_twin is not None:
            self.teacher_twin.track(made)
        return made

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
        if self.teacher_twin is not None:
            self.teacher_twin.invalidate()
