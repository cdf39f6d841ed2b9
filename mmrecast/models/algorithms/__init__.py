# Copyright (c) mmrecast contributors. All rights reserved.
from .base_algorithm import BaseAlgorithm
from .block_recast import BlockRecast, recasted_student
from .candidate_library import Candidate, CandidateLibrary
from .connector_pretrain import ConnectorPretrain
from .distiller import LOGITS, Distiller, Source
from .recast_finetune import RecastFinetune
from .recast_modes import (RECAST_MODES, ParallelRecast, RecastMode,
                           RecastStage, SequentialRecast, build_recast_mode)
from .single_teacher_distill import SingleTeacherDistill
from .staged_algorithm import StagedAlgorithm

__all__ = [
    'BaseAlgorithm', 'BlockRecast', 'Candidate', 'CandidateLibrary',
    'ConnectorPretrain', 'Distiller',
    'LOGITS', 'ParallelRecast', 'RECAST_MODES', 'RecastFinetune',
    'RecastMode', 'RecastStage', 'SequentialRecast', 'SingleTeacherDistill',
    'Source', 'StagedAlgorithm', 'build_recast_mode', 'recasted_student'
]
