# Copyright (c) mmrecast contributors. All rights reserved.
"""Measure a classifier: size, cost, latency, accuracy, activation memory.

Any mmpretrain-style classifier config works (teacher, exported student,
a model mmrecast never saw): the model, its test data and its metric come
from its own config.
"""
import copy
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.evaluator import Evaluator
from mmengine.registry import init_default_scope

from mmrecast.models.algorithms import BaseAlgorithm
from mmrecast.models.utils import as_deployed
from mmrecast.registry import MODELS
from mmrecast.utils.cli import load_config
from mmrecast.utils.complexity import count_macs, count_params, has_parameters
from mmrecast.utils.config_check import registered_class
from mmrecast.utils.config_loader import build_config_loader
from mmrecast.utils.model_cfg import runner_model_cfg
from mmrecast.utils.weights import load_weights_into, names_no_file

__all__ = [
    'ModelReport', 'load_classifier',
    'block_activation_bytes', 'evaluate_accuracy', 'profile_model'
]


@dataclass
class ModelReport:
    """What :func:`profile_model` measured for one model."""
    name: str
    params: int
    macs: int
    input_shape: Tuple[int, ...]
    # 'runtime device bN' -> median and minimum of the timed rounds (ms)
    latency_ms: Dict[str, float] = field(default_factory=dict)
    latency_min_ms: Dict[str, float] = field(default_factory=dict)
    accuracy: Dict[str, float] = field(default_factory=dict)
    # block path -> bytes of the activations it produces for one image
    activations: Dict[str, int] = field(default_factory=dict)
    # where the accuracy was measured (its data set's class, files, length)
    test_data: str = ''


def load_classifier(config: Union[str, Config],
                    checkpoint: Optional[str]) -> tuple:
    """Build the model of ``config`` and load ``checkpoint`` (weights-only,
    strict, as everywhere in mmrecast; ``None`` or ``'none'``: no file).

    Returns:
        tuple: ``(model, cfg)``; the model is in eval mode on the CPU.
    """
    cfg = config if isinstance(config, Config) else load_config(config)
    init_default_scope(cfg.get('default_scope', 'mmrecast'))
    model_cfg = runner_model_cfg(cfg)
    kind = registered_class(MODELS, model_cfg, cfg.get('default_scope'))
    if kind is not None and issubclass(kind, BaseAlgorithm):
        # a stage without one student (connectors, a library) says so now,
        # not after its data or in its forward
        kind.student_config(copy.deepcopy(model_cfg))
    model = MODELS.build(model_cfg)
    if not names_no_file(checkpoint):
        load_weights_into(model, checkpoint, field='checkpoint')
    return model.eval(), cfg


def _forward(model: nn.Module):
    """The plain forward of a classifier: images in, scores out."""
    return lambda x: model(x, mode='tensor')


def _blocks(model: nn.Module) -> List[Tuple[str, nn.Module]]:
    """The network's blocks in forward order: mmrecast backbones name
    theirs (``block_names()``); otherwise containers and single-child
    wrappers are opened down to their parts."""
    backbone = getattr(model, 'backbone', model)
    prefix = 'backbone.' if backbone is not model else ''
    if hasattr(backbone, 'block_names'):
        names = ['stem'] + list(backbone.block_names())
        return [(prefix + n, backbone.get_submodule(n)) for n in names]
    found = []

    def visit(path: str, module: nn.Module) -> None:
        children = list(module.named_children())
        # exact container types only: a block may subclass nn.Sequential
        is_container = type(module) in (nn.Sequential, nn.ModuleList,
                                        nn.ModuleDict) or len(children) == 1
        if children and (is_container or module is backbone):
            for name, child in children:
                visit(f'{path}.{name}' if path else name, child)
        elif has_parameters(module):
            found.append((path, module))

    visit(prefix.rstrip('.'), backbone)
    return found


@torch.no_grad()
def block_activation_bytes(model: nn.Module,
                           input_shape: Sequence[int]) -> Dict[str, int]:
    """Bytes of the activations each block produces for one image: the
    outputs of its layers (convs, norms, activations, shortcut) that are
    new storages (identities and in-place ops add nothing). This is roughly
    what training keeps for the backward pass, and where a plain conv block
    saves over a residual one of the same output size."""
    sizes: Dict[str, int] = {}
    handles = []
    for path, block in _blocks(model):
        sizes[path] = 0
        leaves = [m for m in block.modules() if not any(m.children())]

        def hook(module, inputs, output, path=path):
            tensors = output if isinstance(output, (tuple, list)) else [output]
            # an output that is one of the inputs (identity, in-place ReLU)
            # is no new memory
            known = {
                t.data_ptr() for t in inputs if isinstance(t, torch.Tensor)
            }
            for t in tensors:
                if isinstance(t, torch.Tensor) and t.data_ptr() not in known:
                    sizes[path] += t.numel() * t.element_size()

        handles += [leaf.register_forward_hook(hook) for leaf in leaves]
    try:
        _forward(model)(torch.zeros(1, *input_shape))
    finally:
        for handle in handles:
            handle.remove()
    return sizes


@torch.no_grad()
def evaluate_accuracy(model: nn.Module,
                      cfg: Config,
                      max_batches: Optional[int] = None,
                      loader=None) -> Dict[str, float]:
    """The config's test metric(s) on its test dataloader (all of it, or
    the first ``max_batches`` batches); ``loader`` reuses a built one."""
    if loader is None:
        loader = build_config_loader(cfg, 'test_dataloader',
                                     'the accuracy is measured on it')
    evaluator = Evaluator(cfg.test_evaluator)
    evaluator.dataset_meta = getattr(loader.dataset, 'metainfo', None)
    seen = 0
    for i, batch in enumerate(loader):
        if max_batches is not None and i >= max_batches:
            break
        evaluator.process(model.test_step(batch), batch)
        seen += len(batch['data_samples'])
    return evaluator.evaluate(seen)


def _test_data_name(dataset) -> str:
    """``'TYPE FILES (N images)'``: a data set's class, where its files
    are (its ``data_prefix`` and ``ann_file``, which mmengine joins to
    ``data_root``, else ``data_root``) and its length; two reports of one
    test set name it alike."""
    prefix = getattr(dataset, 'data_prefix', None)
    files = [str(p) for p in (prefix.values() if isinstance(prefix, dict)
                              else [prefix]) if p]
    files += [str(f) for f in [getattr(dataset, 'ann_file', None)] if f]
    files = files or [str(getattr(dataset, 'data_root', '') or '')]
    return (f'{" ".join([type(dataset).__name__, *filter(None, files)])} '
            f'({len(dataset)} images)')


def profile_model(name: str,
                  config: str,
                  checkpoint: Optional[str],
                  max_batches: Optional[int] = None,
                  onnx_file: Optional[str] = None,
                  threads: Optional[int] = None) -> tuple:
    """What the comparison reports for one model, but its latency (that
    is measured for all models together:
    :func:`~mmrecast.analysis.compare_latency`).

    With ``onnx_file``, the model is also exported there and evaluated in
    onnxruntime (``'<metric> (onnxruntime)'``), on ``threads`` intra-op
    threads if given.

    Returns:
        tuple: ``(report, model, session)``; ``model`` is the deployed
        form that the exporters write (branches merged, projections
        folded), the one to time in torch; ``session`` is the onnxruntime
        session of ``onnx_file`` (None without it).
    """
    model, cfg = load_classifier(config, checkpoint)
    loader = build_config_loader(
        cfg, 'test_dataloader', 'the report reads the input shape from its '
        'images and measures the accuracy on them')
    # one preprocessed test image gives the input shape (C, H, W)
    first = model.data_preprocessor(next(iter(loader)), False)['inputs']
    shape = tuple(first.shape[1:])
    deployed = as_deployed(model, mode='tensor')  # what the exporters write
    report = ModelReport(
        name=name,
        params=count_params(deployed),
        macs=count_macs(deployed, shape),
        input_shape=shape)
    report.accuracy = evaluate_accuracy(model, cfg, max_batches, loader)
    report.test_data = _test_data_name(loader.dataset)
    report.activations = block_activation_bytes(model, shape)
    session = None
    if onnx_file is not None:
        from mmrecast.deployment import (BATCH, ONNXRuntimeClassifier,
                                         export_onnx)
        export_onnx(model, first[:1], onnx_file, dynamic=BATCH)
        runtime = ONNXRuntimeClassifier(
            onnx_file, data_preprocessor=model.data_preprocessor,
            threads=threads, spinning=False)  # timed in turn
        for key, value in evaluate_accuracy(runtime, cfg, max_batches,
                                            loader).items():
            report.accuracy[f'{key} (onnxruntime)'] = value
        session = runtime.session
    return report, deployed, session
