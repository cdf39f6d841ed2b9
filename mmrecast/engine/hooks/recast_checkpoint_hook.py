# Copyright (c) mmrecast contributors. All rights reserved.
import os
import os.path as osp

from mmengine.dist import is_main_process
from mmengine.hooks import CheckpointHook

from mmrecast.registry import HOOKS
from mmrecast.utils.checkpoint import write_text_atomically
from ..stage_info import StageInfo

__all__ = ['RecastCheckpointHook']


@HOOKS.register_module()
class RecastCheckpointHook(CheckpointHook):
    """mmengine's ``CheckpointHook``, crash-safe, that also checkpoints every
    stage end of a staged run and keeps it as ``stage_<k>.pth``.

    * Every checkpoint is written under a temporary name and renamed when
      complete; ``last_checkpoint`` is replaced the same way; old
      checkpoints are removed (``max_keep_ckpts``) only after that, so a
      crash at any instant leaves an intact checkpoint and a pointer that
      names one (or an older one, which ``--resume`` falls back from).
    * At a stage end (:class:`~mmrecast.engine.StageInfo`) it always saves,
      and links the file as ``stage_<k>.pth``, which rotation never
      removes.

    Same arguments as ``CheckpointHook``; local work dirs only.
    """

    def every_n_train_iters(self, runner, n: int, start: int = 0) -> bool:
        """Every ``n`` iterations from ``start``, and at every stage end."""
        info = StageInfo.read(runner.message_hub)
        return super().every_n_train_iters(runner, n, start) or (
            info is not None and info.ends)

    # mmengine's version removes the oldest file before writing the new
    # one and writes both files in place; this is the crash-safe order
    def _save_checkpoint_with_step(self, runner, step: int,
                                   meta: dict) -> None:
        filename = self.filename_tmpl.format(step)
        final = osp.join(self.out_dir, filename)
        drop = []
        if self.max_keep_ckpts > 0 and (not self.keep_ckpt_ids
                                        or self.keep_ckpt_ids[-1] != step):
            if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
                drop.append(self.keep_ckpt_ids.popleft())
            self.keep_ckpt_ids.append(step)
            runner.message_hub.update_info('keep_ckpt_ids',
                                           list(self.keep_ckpt_ids))
        self.last_ckpt = final
        runner.message_hub.update_info('last_ckpt', final)
        runner.save_checkpoint(
            self.out_dir,
            filename + '.part',
            self.file_client_args,
            save_optimizer=self.save_optimizer,
            save_param_scheduler=self.save_param_scheduler,
            meta=meta,
            by_epoch=self.by_epoch,
            backend_args=self.backend_args,
            **self.args)
        if not is_main_process():
            return
        os.replace(final + '.part', final)
        write_text_atomically(osp.join(runner.work_dir, 'last_checkpoint'),
                              final)
        for old in drop:
            path = osp.join(self.out_dir, self.filename_tmpl.format(old))
            if osp.isfile(path):
                os.remove(path)

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
        kept = osp.join(osp.dirname(saved), f'stage_{info.stage + 1}.pth')
        partial = kept + '.part'
        if osp.lexists(partial):
            os.remove(partial)
        try:
            os.link(saved, partial)  # the same file, under a name of its own
        except OSError:  # no hard links on this file system
            self.file_backend.copyfile(saved, partial)
        os.replace(partial, kept)
