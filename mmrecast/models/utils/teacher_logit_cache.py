# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Callable, Dict, Hashable, Optional, Sequence

import torch

from mmrecast.utils.errors import ConfigError

__all__ = ['TeacherLogitCache']

_NEEDS = ('train_dataloader.collate_fn: the teacher logit cache needs '
          "dict(type='mmrecast.crop_flip_collate', ...)")


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
        keys = []
        for sample in data_samples:
            meta = sample.metainfo
            name = meta.get('img_path', meta.get('sample_idx'))
            if 'flip' not in meta or 'crop_shift' not in meta \
                    or name is None:
                raise ConfigError(f'{_NEEDS} (the batch has no flip, '
                                  'crop_shift or sample_idx metainfo)')
            view = (name, tuple(meta['crop_shift']), bool(meta['flip']))
            keys.append(self.views.setdefault(view, len(self.views)))
        return torch.tensor(keys)

    def __call__(self, run_teacher: Callable[[torch.Tensor], torch.Tensor],
                 inputs: torch.Tensor, data_samples: Sequence) -> torch.Tensor:
        """The teacher's logits of ``inputs``, running ``run_teacher`` on
        the views not cached yet."""
        keys = self.view_keys(data_samples)
        if len(self.known) <= int(keys.max()):
            self._grow(int(keys.max()) + 1)
        new = ~self.known[keys]
        if new.any():
            fresh = run_teacher(inputs[new.to(inputs.device)]).detach()
            if self.logits is None:
                self.logits = fresh.new_zeros(
                    (len(self.known), ) + fresh.shape[1:],
                    dtype=torch.float32)
            self.logits[keys[new].to(fresh.device)] = fresh.float()
            self.known[keys[new]] = True
            self.computed += int(new.sum())
        return self.logits[keys.to(self.logits.device)]

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
