# Copyright (c) mmrecast contributors. All rights reserved.
"""High-level functions on top of models and engine (what tools call)."""
from mmrecast.models.algorithms.plan_check import check_plan, plan_table
from mmrecast.utils.weights import without_weight_files
from .export import export_student, student_model_config
from .setup_env import register_all_modules

__all__ = [
    'export_student', 'register_all_modules', 'student_model_config',
    'without_weight_files', 'check_plan', 'plan_table'
]
