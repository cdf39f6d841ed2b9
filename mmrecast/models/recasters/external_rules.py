# Copyright (c) mmrecast contributors. All rights reserved.
"""Width readers and rebuild rules for blocks of other libraries, so that
their models can be recast: torchvision's ResNet and DenseNet blocks, and
mmcv's ``ConvModule`` (mmpretrain's VGG, among others). Each library is
optional; its rules are registered only when it imports."""
import torch.nn as nn

from .block_io import BlockIO, register_block_io
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

    @register_block_io(_DenseBlock)
    def _dense_io(block) -> BlockIO:
        layers = list(block.values())
        in_channels = layers[0].norm1.num_features
        growth = layers[0].conv2.out_channels
        return BlockIO(in_channels, in_channels + growth * len(layers), 1)

    @register_block_io(_Transition)
    def _transition_io(block) -> BlockIO:
        return BlockIO(block.conv.in_channels, block.conv.out_channels, 2)

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
