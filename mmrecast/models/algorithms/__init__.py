# Copyright (c) mmrecast contributors. All rights reserved.
from .base_algorithm import BaseAlgorithm, load_weights_into
from .block_recast import BlockRecast
from .connector_pretrain import ConnectorPretrain
from .single_teacher_distill import SingleTeacherDistill

__all__ = [
    'BaseAlgorithm', 'BlockRecast', 'ConnectorPretrain', 'SingleTeacherDistill',
    'load_weights_into'
]
