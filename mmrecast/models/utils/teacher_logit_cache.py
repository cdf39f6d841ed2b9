# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Callable, Dict, Hashable, List, Optional, Sequence, Tuple

import torch
from mmengine.dist import all_gather_object, all_reduce, get_world_size

from mmrecast.utils.errors import ConfigError

__all__ = ['TeacherLogitCache']

_NEEDS = ('train_dataloader.collate_fn: the teacher logit cache needs '
          "dict(type='mmrecast.crop_flip_collate', ...)")


def _view(sample) -> Tuple[Hashable, Tuple[int, ...], bool]:
    """``(image name, crop shift, flip)`` of a drawn sample."""
    meta = sample.metainfo
    name = meta.get('img_path', meta.get('sample_idx'))
    if 'flip' not in meta or 'crop_shift' not in meta or name is None:
        raise ConfigError(f'{_NEEDS} (the batch has no flip, crop_shift or '
                          'sample_idx metainfo)')
    return name, tuple(meta['crop_shift']), bool(meta['flip'])


class TeacherLogitCache:
    """The frozen teacher's logits of every training view, computed the
    first time the view is drawn and then reused.

    A view is an image with the crop shift and flip that
    ``crop_flip_collate`` drew for it. When the shifts are few (``padding=0``,
    or a short list of ``shifts``), each image has few views and the same
    ones come back every epoch, so a distill step need only run the
    teacher on the views of its batch not seen before (as FKD stores soft
    labels; here they are filled in as training goes, so a run pays
    nothing up front).

    Under DDP each process keeps the whole cache: the views one process
    ran the teacher on reach the others at the same step.

    Kept outside the model's ``state_dict``: a resumed run fills it again.
    """

    def __init__(self) -> None:
        # (image name, crop shift, flip) -> its row
        self.views: Dict[Hashable, int] = {}
        self.logits: Optional[torch.Tensor] = None
        self.known = torch.zeros(0, dtype=torch.bool)
        self.computed = 0  # views the teacher ran on, for tests and logs

    def view_keys(self, data_samples: Sequence) -> torch.Tensor:
        """A row per view, an image named by its file (``img_path``; unique
        across concatenated datasets) or else its ``sample_idx``. Refuses
        batches that do not say how they were drawn."""
        return self._rows([_view(sample) for sample in data_samples])

    def __call__(self, run_teacher: Callable[[torch.Tensor], torch.Tensor],
                 inputs: torch.Tensor, data_samples: Sequence) -> torch.Tensor:
        """The teacher's logits of ``inputs``, running ``run_teacher`` on
        the views not cached yet. Under DDP, the processes share what they
        computed, so that each view runs the teacher once in the job."""
        views = [_view(sample) for sample in data_samples]
        keys = self._rows(views)
        new = ~self.known[keys]
        fresh = None
        if new.any():
            fresh = run_teacher(inputs[new.to(inputs.device)]).detach()
            self._store(keys[new], fresh)
            self.computed += int(new.sum())
        if get_world_size() > 1:
            self._share([v for v, n in zip(views, new.tolist()) if n], fresh)
        return self.logits[keys.to(self.logits.device)]

    def _share(self, views: List[Hashable],
               fresh: Optional[torch.Tensor]) -> None:
        """Store the views that the other processes ran the teacher on in
        this step too (every process calls this at every step)."""
        # a one-number all-reduce first: once the cache is full, steps
        # exchange no logits (the object gather costs two collectives)
        count = torch.tensor([float(len(views))])
        all_reduce(count)
        if not count.item():
            return
        mine = (views, None if fresh is None else fresh.float().cpu())
        for theirs, logits in all_gather_object(mine):
            if logits is None:
                continue
            rows = self._rows(theirs)
            unknown = ~self.known[rows]
            if unknown.any():
                self._store(rows[unknown], logits[unknown])

    def _rows(self, views: Sequence[Hashable]) -> torch.Tensor:
        """The row of each view, new views given new rows."""
        rows = torch.tensor(
            [self.views.setdefault(v, len(self.views)) for v in views],
            dtype=torch.long)
        if len(rows) and len(self.known) <= int(rows.max()):
            self._grow(int(rows.max()) + 1)
        return rows

    def _store(self, rows: torch.Tensor, logits: torch.Tensor) -> None:
        if self.logits is None:
            self.logits = logits.new_zeros(
                (len(self.known), ) + logits.shape[1:], dtype=torch.float32)
        self.logits[rows.to(self.logits.device)] = logits.to(
            self.logits.device, torch.float32)
        self.known[rows] = True

    def _grow(self, size: int) -> None:
        """Room for ``size`` keys at least (doubling, so few copies)."""
        size = max(size, 2 * len(self.known))
        known = torch.zeros(size, dtype=torch.bool)
        known[:len(self.known)] = self.known
        self.known = known
        if self.logits is not None:
            logits = self.logits.new_zeros((size, ) + self.logits.shape[1:])
            logits[:len(self.logits)] = self.logits
            self.logits = logits
