# Copyright (c) mmrecast contributors. All rights reserved.
import os.path as osp
from typing import Dict, List, Optional

import numpy as np
from mmengine.hooks import Hook

from mmrecast.registry import HOOKS
from ..stage_info import StageInfo

__all__ = ['RecastProgressHook']


@HOOKS.register_module()
class RecastProgressHook(Hook):
    """Follow a recast run block by block.

    At the end of every stage of a staged run (the validation after the
    stage's last iteration, :class:`~mmrecast.engine.StageInfo`) it logs
    the stage's final recast MSE (mean of its last ``window`` iterations)
    and the student's validation accuracy as scalars
    (``recast/mse``, ``recast/<metric>``, step = stage) through the runner's
    visualizer backends, and redraws ``recast_progress.png`` in the work
    dir: the two curves over the recast blocks.

    Args:
        window (int): Iterations averaged for the stage's MSE. Defaults to
            50.
        metric (str): Validation metric to plot. Defaults to
            ``'accuracy/top1'``.
    """

    priority = 'LOW'

    def __init__(self, window: int = 50, metric: str = 'accuracy/top1'):
        self.window = window
        self.metric = metric
        self._losses: List[float] = []
        self.history: List[Dict[str, Optional[float]]] = []

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if outputs and 'loss_recast' in outputs:
            loss = outputs['loss_recast']  # the log value, still in graph
            self._losses.append(
                float(loss.detach() if hasattr(loss, 'detach') else loss))
            self._losses = self._losses[-self.window:]

    def after_val_epoch(self, runner, metrics=None):
        info = StageInfo.read(runner.message_hub)
        if info is None or not info.ends:
            return
        stage = info.stage
        mse = float(np.mean(self._losses)) if self._losses else None
        score = (metrics or {}).get(self.metric)
        self.history.append(dict(stage=stage + 1, mse=mse, score=score))
        scalars = {}
        if mse is not None:
            scalars['recast/mse'] = mse
        if score is not None:
            scalars[f'recast/{self.metric.split("/")[-1]}'] = float(score)
        if scalars:
            runner.visualizer.add_scalars(scalars, step=stage + 1)
        self._losses = []
        image = self._plot(runner, info.num_stages)
        runner.visualizer.add_image('recast_progress', image, step=stage + 1)

    def _plot(self, runner, total: int) -> np.ndarray:
        """Draw the curves, save the PNG, return it as an RGB array."""
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt

        stages = [h['stage'] for h in self.history]
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.2), dpi=100)
        ax1.plot(stages, [h['mse'] for h in self.history], 'o-')
        ax1.set(title='recast MSE at the end of each stage', xlabel='stage',
                yscale='log')
        ax2.plot(stages, [h['score'] for h in self.history], 'o-', c='C1')
        ax2.set(title=f'student {self.metric}', xlabel='stage')
        for ax in (ax1, ax2):
            ax.set_xlim(0.5, total + 0.5)
            ax.grid(alpha=0.3)
        fig.tight_layout()
        fig.savefig(osp.join(runner.work_dir, 'recast_progress.png'))
        fig.canvas.draw()
        image = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
        plt.close(fig)
        return image
