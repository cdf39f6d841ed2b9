# Copyright (c) mmrecast contributors. All rights reserved.
"""Numeric parity of an exported model with the torch model it came from."""
from dataclasses import dataclass

import torch

from mmrecast.utils.config_loader import build_config_loader

__all__ = ['Parity', 'compare_logits', 'preprocessed_test_images']


@dataclass
class Parity:
    """How far the runtime's logits are from torch's on the same images."""
    max_abs_diff: float
    #: largest absolute torch logit: the scale the tolerance is relative to
    scale: float
    agreement: int
    num_images: int
    #: image with the largest difference, and its top-1 in torch / runtime
    worst_index: int
    worst_torch_top1: int
    worst_runtime_top1: int

    def ok(self, rtol: float) -> bool:
        """Every top-1 agrees and the largest difference is within
        ``rtol`` times the logit scale."""
        return self.agreement == self.num_images \
            and self.max_abs_diff <= rtol * self.scale

    def summary(self) -> str:
        return (f'verify: max_abs_diff={self.max_abs_diff:.3g} '
                f'top1_agreement={self.agreement}/{self.num_images}')


def compare_logits(expected: torch.Tensor, actual: torch.Tensor) -> Parity:
    """Compare logits ``(N, classes)`` of torch (``expected``) and of the
    runtime (``actual``) for the same N images."""
    diff = (expected - actual).abs().amax(dim=1)
    worst = int(diff.argmax())
    top1_expected = expected.argmax(dim=1)
    top1_actual = actual.argmax(dim=1)
    return Parity(
        max_abs_diff=float(diff.max()),
        scale=float(expected.abs().max()),
        agreement=int((top1_expected == top1_actual).sum()),
        num_images=len(expected),
        worst_index=worst,
        worst_torch_top1=int(top1_expected[worst]),
        worst_runtime_top1=int(top1_actual[worst]))


def preprocessed_test_images(model, cfg, num: int) -> torch.Tensor:
    """The first ``num`` images of ``cfg``'s test set, preprocessed by
    ``model``'s data preprocessor (what a deployed model is fed)."""
    loader = build_config_loader(
        cfg, 'test_dataloader', 'its first images are the example input '
        'of the export and of its parity check')
    batches, seen = [], 0
    with torch.no_grad():
        for batch in loader:
            inputs = model.data_preprocessor(batch, False)['inputs']
            batches.append(inputs)
            seen += len(inputs)
            if seen >= num:
                break
    return torch.cat(batches)[:num]
