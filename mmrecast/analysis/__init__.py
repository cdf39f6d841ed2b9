# Copyright (c) mmrecast contributors. All rights reserved.
from .benchmark import (benchmark_parser, check_device, compare_train_steps,
                        setup_benchmark, training_step_inputs)
from .latency import (LatencyStats, compare_latency, exported_module,
                      forward_fn, interleaved_latency)
from .model_report import (ModelReport, block_activation_bytes,
                           evaluate_accuracy, load_classifier, profile_model)
from .report_writer import different_inputs, plot_reports, reports_to_markdown
from .timing import interleaved_times, time_call

__all__ = [
    'ModelReport', 'block_activation_bytes', 'evaluate_accuracy',
    'load_classifier', 'profile_model', 'plot_reports', 'reports_to_markdown',
    'different_inputs', 'interleaved_times', 'time_call', 'LatencyStats',
    'compare_latency', 'exported_module', 'forward_fn',
    'interleaved_latency', 'benchmark_parser', 'check_device',
    'setup_benchmark', 'training_step_inputs', 'compare_train_steps'
]
