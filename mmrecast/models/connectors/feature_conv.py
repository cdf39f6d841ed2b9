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
below. Modules keep ``nn.Conv2d`` / ``nn.ConvTranspose2d`` parameters, so
their checkpoints are interchangeable with the plain layers'. On GPUs the
plain layers' path is used.
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


def _conv(x: torch.Tensor, weight: torch.Tensor, bias, padding: int):
    if x.is_cuda or not torch.is_grad_enabled():
        return F.conv2d(x, weight, bias, padding=padding)
    return _Conv2dWeightGradAsConv.apply(x, weight, bias, padding)


class FeatureConv2d(nn.Conv2d):
    """``nn.Conv2d`` (stride 1) with the faster CPU weight gradient."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _check(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return _conv(x, self.weight, self.bias, self.padding[0])


class FeatureConvTranspose2d(nn.ConvTranspose2d):
    """``nn.ConvTranspose2d`` (stride 1) computed as the equivalent
    convolution (flipped kernel, swapped channels, padding k - 1 - p), with
    the faster CPU weight gradient."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _check(self)
        if self.output_padding != (0, 0):
            raise ValueError('FeatureConvTranspose2d supports no '
                             'output_padding')

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.is_cuda or not torch.is_grad_enabled():
            return super().forward(x)
        weight = self.weight.flip(-1, -2).transpose(0, 1).contiguous()
        pad = self.kernel_size[0] - 1 - self.padding[0]
        return _conv(x, weight, self.bias, pad)
