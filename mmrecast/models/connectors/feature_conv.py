# Copyright (c) mmrecast contributors. All rights reserved.
"""3x3 convolutions for connectors, with a faster weight gradient on CPU.

Connectors run on a network's last features: thousands of channels on
maps of a few pixels (the paraphraser of a CIFAR ResNet-50: 2048 channels,
4 x 4). There, oneDNN's weight-gradient kernel is the slowest part of the
step; measured here (2 threads, 16 x 2048 x 4 x 4, 2048 -> 2048): forward
0.06 s, input gradient 0.06 s, weight gradient 0.15 s. The weight gradient
is itself a convolution: of the input, read with batch as channels, by the
output gradient as the kernel, which oneDNN's forward kernel computes in
0.09 s. PyTorch has no switch for this, hence the small autograd function
below, used from 1024 x 1024 channels up (smaller layers keep oneDNN's).
Checkpoints of these modules are interchangeable with the plain layers'.
On GPUs the plain convolution path is used.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

__all__ = ['FeatureConv2d', 'FeatureConvTranspose2d']


class _Conv2dWeightGradAsConv(torch.autograd.Function):
    """``F.conv2d`` (stride 1, dilation 1, one group) whose weight gradient
    is computed by a forward convolution."""

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
            # dW[o, i] = sum_n x[n, i] (*) dY[n, o]: channels of x as the
            # batch, samples as the channels, dY as the kernel
            grad_w = F.conv2d(
                x.transpose(0, 1), grad_out.transpose(0, 1),
                padding=pad).transpose(0, 1)
        if ctx.needs_input_grad[2]:
            grad_b = grad_out.sum((0, 2, 3))
        return grad_x, grad_w, grad_b, None


def _check(module: nn.Module) -> None:
    if module.stride != (1, 1) or module.dilation != (1, 1) \
            or module.groups != 1 or module.padding_mode != 'zeros' \
            or len(set(module.padding)) != 1:
        raise ValueError(f'{type(module).__name__} supports stride 1, '
                         'dilation 1, one group and equal zero padding only')


# Below this many input x output channels oneDNN's own weight gradient is
# as fast or faster (measured, 16 x C x 4 x 4, fwd + bwd: 512 -> 512 14.5 ms
# plain vs 17.5 ms; 1024 -> 1024 74.8 vs 65.9 ms; 2048 -> 2048 268 vs 237).
_MIN_CHANNEL_PRODUCT = 1024 * 1024


def _conv(x: torch.Tensor, weight: torch.Tensor, bias, padding: int):
    # the plain path on GPUs, without autograd, under tracing (mmengine's
    # complexity analysis) and for smaller layers
    if x.is_cuda or not torch.is_grad_enabled() or torch.jit.is_tracing() \
            or weight.shape[0] * weight.shape[1] < _MIN_CHANNEL_PRODUCT:
        return F.conv2d(x, weight, bias, padding=padding)
    return _Conv2dWeightGradAsConv.apply(x, weight, bias, padding)


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
        self._register_state_dict_hook(_to_transposed_layout)
        self._register_load_state_dict_pre_hook(
            _from_transposed_layout, with_module=True)

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
    return state_dict


def _from_transposed_layout(module, state_dict, prefix, *args):
    key = prefix + 'weight'
    if key in state_dict:
        state_dict[key] = _swap_layout(state_dict[key])
