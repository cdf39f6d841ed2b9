# Copyright (c) mmrecast contributors. All rights reserved.
from .base_connector import BaseConnector
from .feature_conv import FeatureConv2d, FeatureConvTranspose2d
from .paraphraser import Paraphraser
from .translator import Translator

__all__ = [
    'BaseConnector', 'FeatureConv2d', 'FeatureConvTranspose2d', 'Paraphraser',
    'Translator'
]
