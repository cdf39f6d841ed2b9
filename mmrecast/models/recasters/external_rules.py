# Copyright (c) mmrecast contributors. All rights reserved.
"""Rebuild rules for blocks of other libraries: how to make torchvision's
ResNet and DenseNet blocks and mmcv's ``ConvModule`` (mmpretrain's VGG,
among others) for a new input width, when the block before them changes
its output width. Their widths need no reader: a probe forward measures
them (``input_size``). Each library is optional; its rules are registered
only when it imports."""
import torch.nn as nn

from .rebuild import register_rebuilder

__all__ = []


def _torchvision_resnet() -> None:
    from torchvision.models.resnet import BasicBlock, Bottleneck

    def downsample(block, in_channels, out_channels):
        if block.stride == 1 and in_channels == out_channels:
            return None
        return nn.Sequential(
            nn.Conv2d(in_channels, out_channels, 1, block.stride,
                      bias=False), nn.BatchNorm2d(out_channels))

    @register_rebuilder(BasicBlock)
    def _basic(block, in_channels):
        out = block.conv2.out_channels
        return BasicBlock(in_channels, out, block.stride,
                          downsample(block, in_channels, out))

    @register_rebuilder(Bottleneck)
    def _bottleneck(block, in_channels):
        out = block.conv3.out_channels
        width = block.conv1.out_channels
        new = Bottleneck(in_channels, out // Bottleneck.expansion,
                         block.stride, downsample(block, in_channels, out))
        if new.conv1.out_channels != width:
            raise TypeError('cannot rebuild a torchvision Bottleneck with '
                            'groups/width_per_group; register a rule')
        return new


def _torchvision_densenet() -> None:
    from torchvision.models.densenet import _DenseBlock, _Transition

    @register_rebuilder(_DenseBlock)
    def _dense(block, in_channels):
        first = next(iter(block.values()))
        growth = first.conv2.out_channels
        return _DenseBlock(
            len(block), in_channels, first.conv1.out_channels // growth,
            growth, first.drop_rate, first.memory_efficient)

    @register_rebuilder(_Transition)
    def _transition(block, in_channels):
        return _Transition(in_channels, block.conv.out_channels)


def _mmcv_conv_module() -> None:
    from mmcv.cnn import ConvModule

    @register_rebuilder(ConvModule)
    def _conv_module(block, in_channels):
        conv = block.conv
        return ConvModule(
            in_channels,
            conv.out_channels,
            conv.kernel_size,
            conv.stride,
            block.padding,
            conv.dilation,
            conv.groups,
            bias=conv.bias is not None,
            conv_cfg=block.conv_cfg,
            norm_cfg=block.norm_cfg,
            act_cfg=block.act_cfg,
            order=block.order)


for _register in (_torchvision_resnet, _torchvision_densenet,
                  _mmcv_conv_module):
    try:
        _register()
    except ImportError:  # the library is optional
        pass
