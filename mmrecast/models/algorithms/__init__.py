# Copyright (c) mmrecast contributors. All rights reserved.
from .base_algorithm import BaseAlgorithm, load_weights_into
from .block_recast import BlockRecast
from .connector_pretrain import ConnectorPretrain
from .recast_finetune import RecastFinetune, recasted_student
from .single_teacher_distill import SingleTeacherDistill

__all__ = [
    'BaseAlgorithm', 'BlockRecast', 'ConnectorPretrain', 'RecastFinetune',
    'SingleTeacherDistill', 'load_weights_into', 'recasted_student'
]
