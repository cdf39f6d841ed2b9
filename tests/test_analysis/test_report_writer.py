# Copyright (c) mmrecast contributors. All rights reserved.
from mmrecast.analysis import (ModelReport, different_inputs,
                               reports_to_markdown)


def _report(name, shape):
    return ModelReport(name=name, params=10, macs=20, input_shape=shape,
                       activations={'stem': 1024})


def test_one_input_is_named_once_and_needs_no_warning():
    reports = [_report('teacher', (3, 32, 32)),
               _report('student', (3, 32, 32))]
    assert different_inputs(reports) is None
    assert '\nInput (3, 32, 32); latency' in reports_to_markdown(reports)


def test_models_of_different_inputs_are_named_and_warned_of():
    # a CIFAR-10 and an MNIST model once shared a table under A's input
    reports = [_report('A', (3, 32, 32)), _report('B', (1, 28, 28))]
    assert different_inputs(reports) == (
        'the models take different inputs (A (3, 32, 32), B (1, 28, 28)): '
        'their accuracies and latencies do not compare; give configs of the '
        'same test data')
    assert '\nInput A (3, 32, 32), B (1, 28, 28); latency' in \
        reports_to_markdown(reports)


def test_models_tested_on_different_data_are_warned_of():
    # same shape, other test set: the accuracies do not compare
    reports = [_report('A', (3, 32, 32)), _report('B', (3, 32, 32))]
    reports[0].test_data = 'CustomDataset data/cifar10 (1017 images)'
    reports[1].test_data = 'CIFAR10 data/cifar10-official (10000 images)'
    assert different_inputs(reports) == (
        'the models are tested on different data (A: CustomDataset '
        'data/cifar10 (1017 images); B: CIFAR10 data/cifar10-official (10000 '
        'images)): their accuracies do not compare; give configs of the '
        'same test data')
    reports[1].test_data = reports[0].test_data
    assert different_inputs(reports) is None
