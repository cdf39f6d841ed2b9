# Copyright (c) mmrecast contributors. All rights reserved.
from .base_connector import BaseConnector
from .paraphraser import Paraphraser
from .translator import Translator

__all__ = ['BaseConnector', 'Paraphraser', 'Translator']
