# Copyright (c) mmrecast contributors. All rights reserved.
"""3x3 convolutions for connectors, with a faster weight gradient on CPU.

Connectors run on a network's last features: thousands of channels on maps
of a few pixels, where oneDNN's weight-gradient kernel dominates the step.
On a 4 x 4 map a 3x3 kernel with padding 1 meets zero padding in 44 of its
144 products per channel pair, and oneDNN multiplies those zeros too.
Computed tap by tap, each kernel tap is one matrix product over just the
positions it connects, run as a 1x1 convolution (oneDNN). PyTorch has no
switch for this, hence the small autograd function below, used only where
it measured faster (``_MIN_CHANNEL_PRODUCT``, ``_MAX_MAP_SIZE``; numbers in
``configs/factor_transfer/README.md``). Forward and input gradient stay
oneDNN's; on GPUs the plain convolution runs. Checkpoints of these modules
are interchangeable with the plain layers'.
"""
from typing import List, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

__all__ = ['FeatureConv2d', 'FeatureConvTranspose2d']


def _tap_slices(size_in: int, size_out: int, kernel: int,
                pad: int) -> List[Tuple[slice, slice]]:
    """Per kernel index along one axis: the output and input positions it
    connects (stride 1), without the zero padding."""
    slices = []
    for i in range(kernel):
        lo, hi = max(0, pad - i), min(size_out, size_in + pad - i)
        slices.append((slice(lo, hi), slice(lo + i - pad, hi + i - pad)))
    return slices


def _weight_grad_by_taps(x: torch.Tensor, grad_out: torch.Tensor,
                         kernel: int, pad: int) -> torch.Tensor:
    """``dW`` of a stride-1 convolution, one kernel tap at a time:
    ``dW[:, :, ky, kx] = sum over positions of dY (x) X`` shifted by the
    tap, over the positions inside the map only."""
    c_out, c_in = grad_out.shape[1], x.shape[1]
    grad = x.new_zeros(kernel, kernel, c_out, c_in)
    rows = _tap_slices(x.shape[2], grad_out.shape[2], kernel, pad)
    cols = _tap_slices(x.shape[3], grad_out.shape[3], kernel, pad)
    for ky, (out_y, in_y) in enumerate(rows):
        for kx, (out_x, in_x) in enumerate(cols):
            xs, gs = x[:, :, in_y, in_x], grad_out[:, :, out_y, out_x]
            if xs.numel() == 0:
                continue
            positions = xs.shape[0] * xs.shape[2] * xs.shape[3]
            # (c_out x P) @ (P x c_in) as a 1x1 conv over c_in "pixels"
            grad[ky, kx] = F.conv2d(
                xs.permute(0, 2, 3, 1).reshape(1, positions, c_in, 1),
                gs.permute(1, 0, 2, 3).reshape(c_out, positions, 1,
                                               1)).view(c_out, c_in)
    return grad.permute(2, 3, 0, 1).contiguous()


class _Conv2dTapWeightGrad(torch.autograd.Function):
    """``F.conv2d`` (stride 1, dilation 1, one group) whose weight gradient
    is computed tap by tap (:func:`_weight_grad_by_taps`)."""

    @staticmethod
    def forward(ctx, x, weight, bias, padding: int):
        ctx.save_for_backward(x, weight)
        ctx.padding = padding
        return F.conv2d(x, weight, bias, padding=padding)

    @staticmethod
    def backward(ctx, grad_out):
        x, weight = ctx.saved_tensors
        pad = ctx.padding
        grad_x = grad_w = grad_b = None
        if ctx.needs_input_grad[0]:
            grad_x = torch.ops.aten.convolution_backward(
                grad_out, x, weight, None, [1, 1], [pad, pad], [1, 1], False,
                [0, 0], 1, [True, False, False])[0]
        if ctx.needs_input_grad[1]:
            grad_w = _weight_grad_by_taps(x, grad_out, weight.shape[-1], pad)
        if ctx.needs_input_grad[2]:
            grad_b = grad_out.sum((0, 2, 3))
        return grad_x, grad_w, grad_b, None


def _check(module: nn.Module) -> None:
    if module.stride != (1, 1) or module.dilation != (1, 1) \
            or module.groups != 1 or module.padding_mode != 'zeros' \
            or len(set(module.padding)) != 1:
        raise ValueError(f'{type(module).__name__} supports stride 1, '
                         'dilation 1, one group and equal zero padding only')


# where the tap-wise weight gradient measured faster than oneDNN's
_MIN_CHANNEL_PRODUCT = 1024 * 1024
_MAX_MAP_SIZE = 8 * 8


def _conv(x: torch.Tensor, weight: torch.Tensor, bias, padding: int):
    # the plain path on GPUs, without autograd, under tracing (mmengine's
    # complexity analysis), for smaller layers and larger maps
    if x.is_cuda or not torch.is_grad_enabled() or torch.jit.is_tracing() \
            or weight.shape[0] * weight.shape[1] < _MIN_CHANNEL_PRODUCT \
            or x.shape[2] * x.shape[3] > _MAX_MAP_SIZE:
        return F.conv2d(x, weight, bias, padding=padding)
    return _Conv2dTapWeightGrad.apply(x, weight, bias, padding)


class FeatureConv2d(nn.Conv2d):
    """``nn.Conv2d`` (stride 1) with the faster CPU weight gradient."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _check(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return _conv(x, self.weight, self.bias, self.padding[0])


class FeatureConvTranspose2d(nn.Module):
    """A 3x3-style transposed convolution (stride 1) kept as its equivalent
    convolution: flipped kernel, swapped channels, padding ``k - 1 - p``.

    The weight is stored in that convolution layout, so no step pays for
    converting it (for 2048 -> 2048, 25 ms of a 300 ms forward + backward);
    ``state_dict`` and ``load_state_dict`` use ``nn.ConvTranspose2d``'s
    layout ``(in, out, k, k)``, so checkpoints are interchangeable with the
    plain layer's (and the official Factor Transfer code's).

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        kernel_size (int): Square kernel size.
        stride (int): Must be 1.
        padding (int): Zero padding of the transposed convolution.
        bias (bool): Whether to add a bias. Defaults to True.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 kernel_size: int,
                 stride: int = 1,
                 padding: int = 0,
                 bias: bool = True):
        super().__init__()
        if stride != 1 or padding > kernel_size - 1:
            raise ValueError('FeatureConvTranspose2d supports stride 1 and '
                             'padding < kernel_size only')
        # initialised exactly as nn.ConvTranspose2d, then re-laid out
        plain = nn.ConvTranspose2d(in_channels, out_channels, kernel_size,
                                   1, padding, bias=bias)
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.padding = kernel_size, padding
        self.weight = nn.Parameter(_swap_layout(plain.weight.detach()))
        self.bias = plain.bias
        self.register_state_dict_post_hook(_to_transposed_layout)
        self.register_load_state_dict_pre_hook(_from_transposed_layout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return _conv(x, self.weight, self.bias,
                     self.kernel_size - 1 - self.padding)

    def extra_repr(self) -> str:
        return (f'{self.in_channels}, {self.out_channels}, '
                f'kernel_size={self.kernel_size}, padding={self.padding}, '
                f'bias={self.bias is not None}')


def _swap_layout(weight: torch.Tensor) -> torch.Tensor:
    """Transposed-conv kernel <-> equivalent conv kernel (self-inverse)."""
    return weight.flip(-1, -2).transpose(0, 1).contiguous()


def _to_transposed_layout(module, state_dict, prefix, local_metadata):
    key = prefix + 'weight'
    # state_dict(keep_vars=True) hands out the Parameter itself (tracers,
    # wrappers that need the live variable): leave that one as it is
    if key in state_dict and not isinstance(state_dict[key], nn.Parameter):
        state_dict[key] = _swap_layout(state_dict[key])


def _from_transposed_layout(module, state_dict, prefix, *args):
    key = prefix + 'weight'
    if key in state_dict:
        state_dict[key] = _swap_layout(state_dict[key])
