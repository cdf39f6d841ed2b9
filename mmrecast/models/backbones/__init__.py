# Copyright (c) mmrecast contributors. All rights reserved.
from .block_backbone import BlockBackbone
from .cifar_resnet import CifarResNet
from .convnet import ConvNet
from .densenet import DenseNetBC
from .external import ExternalBackbone, import_callable
from .vgg import CifarVGG
from .wide_resnet import WideResNet

__all__ = [
    'BlockBackbone', 'CifarResNet', 'ConvNet', 'DenseNetBC', 'CifarVGG',
    'ExternalBackbone', 'WideResNet', 'import_callable'
]
