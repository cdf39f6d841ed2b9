# Copyright (c) mmrecast contributors. All rights reserved.
"""High-level functions on top of models and engine (what tools call)."""
from .export import export_student, student_model_config, without_weight_files
from .setup_env import register_all_modules

__all__ = [
    'export_student', 'register_all_modules', 'student_model_config',
    'without_weight_files'
]
