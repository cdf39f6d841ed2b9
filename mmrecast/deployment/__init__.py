# Copyright (c) mmrecast contributors. All rights reserved.
"""Students that leave mmrecast: torch.export and ONNX, parity, ONNX
Runtime.

onnx, onnxscript and onnxruntime are the ``deploy`` extra; they are
imported only when used.
"""
from .onnx_export import (AXES, BATCH, ClassifierLogits, ExportError,
                          export_onnx, export_program, run_program)
from .ort_classifier import ONNXRuntimeClassifier, ort_session, run_session
from .parity import Parity, compare_logits, preprocessed_test_images

__all__ = [
    'AXES', 'BATCH', 'ClassifierLogits', 'ExportError', 'export_onnx',
    'export_program', 'run_program',
    'ONNXRuntimeClassifier', 'ort_session', 'run_session', 'Parity',
    'compare_logits', 'preprocessed_test_images'
]
