# Copyright (c) mmrecast contributors. All rights reserved.
import os
import os.path as osp

from mmengine.dist import is_main_process
from mmengine.hooks import CheckpointHook

from mmrecast.registry import HOOKS
from ..stage_info import StageInfo

__all__ = ['RecastCheckpointHook']


@HOOKS.register_module()
class RecastCheckpointHook(CheckpointHook):
    """mmengine's ``CheckpointHook`` that also checkpoints every stage end
    of a staged run and keeps that file as ``stage_<k>.pth``.

    Outside a staged run it is ``CheckpointHook``. At a stage end
    (:class:`~mmrecast.engine.StageInfo`) the checkpoint is saved as any
    other (``iter_<n>.pth``, ``last_checkpoint``, ``max_keep_ckpts``) and
    linked as ``stage_<k>.pth``, which rotation never removes. Same
    arguments as ``CheckpointHook``.
    """

    def every_n_train_iters(self, runner, n: int, start: int = 0) -> bool:
        """Every ``n`` iterations from ``start``, and at every stage end."""
        info = StageInfo.read(runner.message_hub)
        return super().every_n_train_iters(runner, n, start) or (
            info is not None and info.ends)

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs=None) -> None:
        super().after_train_iter(runner, batch_idx, data_batch, outputs)
        info = StageInfo.read(runner.message_hub)
        if self.by_epoch or info is None or not info.ends \
                or not is_main_process():
            return
        saved = runner.message_hub.get_info('last_ckpt')
        kept = self.file_backend.join_path(
            osp.dirname(saved), f'stage_{info.stage + 1}.pth')
        if osp.lexists(kept):
            self.file_backend.remove(kept)
        try:
            os.link(saved, kept)  # same file, a name rotation never removes
        except OSError:  # no hard links there (or a remote backend)
            self.file_backend.copyfile(saved, kept)
