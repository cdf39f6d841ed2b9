# Copyright (c) mmrecast contributors. All rights reserved.
"""Export a classifier through ``torch.export``: an ``ExportedProgram``
(``.pt2``) or ONNX."""
from typing import Callable, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from torch.export import Dim

from mmrecast.models.utils import as_deployed
from mmrecast.utils.errors import ConfigError, first_line

__all__ = [
    'ClassifierLogits', 'ExportError', 'export_onnx', 'export_program',
    'run_program', 'AXES', 'BATCH'
]

#: Names of the input axes that ``dynamic=True`` lets vary.
AXES = {0: 'batch', 2: 'height', 3: 'width'}
#: ``dynamic=BATCH``: the batch size varies, the image size is fixed (what
#: timing at several batch sizes needs; a ViT fixes its image size).
BATCH = (0, )


class ExportError(ConfigError):
    """The model (or the dynamic-shape request) cannot be exported; the
    message names the module or the axis."""


class ClassifierLogits(nn.Module):
    """What a deployed classifier computes: preprocessed images in, class
    logits out (``mode='tensor'`` of an mmpretrain classifier)."""

    def __init__(self, classifier: nn.Module):
        super().__init__()
        self.classifier = classifier

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        return self.classifier(inputs, mode='tensor')


def _modules_in_call_order(model: nn.Module, example: torch.Tensor
                           ) -> List[Tuple[str, nn.Module, tuple]]:
    """(path, module, positional inputs) of every submodule call, children
    before their parents (the order forward hooks fire in)."""
    calls, handles = [], []
    for path, module in model.named_modules():
        if module is model:
            continue

        def hook(module, args, output, path=path):
            if all(isinstance(a, torch.Tensor) for a in args):
                calls.append((path, module, args))

        handles.append(module.register_forward_hook(hook))
    try:
        with torch.no_grad():
            model(example)
    finally:
        for handle in handles:
            handle.remove()
    return calls


def _culprit(model: nn.Module, example: torch.Tensor,
             convert: Callable[[nn.Module, tuple], object]) -> Optional[str]:
    """The first module (deepest first) that ``convert`` fails on alone."""
    seen = set()
    for path, module, args in _modules_in_call_order(model, example):
        if id(module) in seen:
            continue
        seen.add(id(module))
        try:
            convert(module, args)
        except Exception as error:  # noqa: B902 (any failure names it)
            return (f'{path.removeprefix("classifier.")} '
                    f'({type(module).__name__}): {first_line(error, 200)}')
    return None


def _torch_export(model: nn.Module, args: tuple, dynamic_shapes=None):
    return torch.export.export(model, args, dynamic_shapes=dynamic_shapes)


def _onnx_export(model, args: tuple, opset: Optional[int] = None):
    """The ``ONNXProgram`` of ``model``, in memory (saved by the caller)."""
    return torch.onnx.export(
        model,
        args,
        input_names=['inputs'],
        output_names=['logits'],
        opset_version=opset,
        dynamo=True,
        verbose=False)


def _input_shape(program) -> tuple:
    """The traced shape of the program's input (ints and SymInts)."""
    name = program.graph_signature.user_inputs[0]
    node = next(n for n in program.graph.nodes
                if n.op == 'placeholder' and n.name == name)
    return tuple(node.meta['val'].shape)


def _fixed_axes(program) -> List[int]:
    """Input axes that ``Dim.AUTO`` export had to fix to one size."""
    shape = _input_shape(program)
    # a fixed axis is an int, or a SymInt that prints as its one value
    return [axis for axis in AXES if str(shape[axis]).isdigit()]


def _dynamic_axes(dynamic: Union[bool, Sequence[int]]) -> tuple:
    """The input axes ``dynamic`` lets vary: all of :data:`AXES` for True,
    the axes given, or none."""
    if dynamic is True:
        return tuple(AXES)
    return tuple(dynamic) if dynamic else ()


def _trace(model: ClassifierLogits, example: torch.Tensor, axes: tuple):
    """``torch.export`` the model with ``axes`` free; a failure names the
    module (or axis)."""
    # AUTO: torch.export finds the sizes each axis may take (a stride-2
    # network needs height > 4, say) instead of failing on them
    shapes = {'inputs': {axis: Dim.AUTO for axis in axes}} if axes \
        else None
    try:
        program = _torch_export(model, (example, ), shapes)
    except Exception as error:  # noqa: B902 (explained below)
        culprit = _culprit(model, example, _torch_export)
        raise ExportError(
            f'{culprit or first_line(error, 200)}: torch.export cannot '
            'trace it; rewrite it with traceable torch operations (see the '
            'torch.export programming model)') from None
    fixed = [axis for axis in _fixed_axes(program) if axis in axes]
    if fixed:
        names = ', '.join(f'{AXES[axis]} (axis {axis})' for axis in fixed)
        raise ExportError(
            f'--dynamic-export: {names} cannot vary in this model (it '
            f'computes with the size {[example.shape[a] for a in fixed]}); '
            'export with a fixed shape (--shape H W)')
    return program


def export_program(
        model: nn.Module,
        example: torch.Tensor,
        dynamic: Union[bool, Sequence[int]] = False
) -> torch.export.ExportedProgram:
    """``torch.export`` of ``model``'s logits for ``example``-shaped
    inputs (batch, height and width free with ``dynamic=True``, the batch
    alone with :data:`BATCH`); a module that cannot be traced, or an axis
    that cannot vary, is named.

    Save it with ``torch.export.save``; ``torch.export.load(f).module()``
    then runs it with torch alone (no mmrecast, mmpretrain or config).
    Multi-branch blocks are merged and 1x1 projections folded into the
    convs that read them (:func:`~mmrecast.models.utils.as_deployed`).
    """
    model = as_deployed(model, mode='tensor')
    wrapped = ClassifierLogits(model).eval()
    axes = _dynamic_axes(dynamic)
    if 0 in axes and len(example) == 1:
        # torch.export fixes an axis of size 1 (e.g. batch 1) to 1
        example = example.expand(2, *example.shape[1:]).contiguous()
    return _trace(wrapped, example, axes)


def run_program(program: torch.export.ExportedProgram,
                inputs: torch.Tensor) -> torch.Tensor:
    """Logits of an exported program for ``inputs``; a program exported
    for a fixed batch size is fed one slice of that size at a time."""
    module = program.module()
    batch = int(_input_shape(program)[0]) if 0 in _fixed_axes(program) \
        else len(inputs)
    with torch.no_grad():
        return torch.cat([
            module(inputs[i:i + batch])
            for i in range(0, len(inputs), batch)
        ])


def export_onnx(model: nn.Module,
                example: torch.Tensor,
                out_file: str,
                dynamic: Union[bool, Sequence[int]] = False,
                opset: Optional[int] = None) -> None:
    """Write ``model``'s logits for ``example``-shaped inputs as ONNX.

    The graph comes from ``torch.export`` (the exporter torch maintains);
    a module that cannot be traced or converted is named by path and type.

    Args:
        model (nn.Module): An mmpretrain-style classifier (eval mode).
        example (Tensor): A preprocessed input batch, ``(N, C, H, W)``.
        out_file (str): Where the ``.onnx`` file goes.
        dynamic (bool | Sequence[int]): Let batch, height and width vary
            (True), or the axes given (:data:`BATCH`). Defaults to False.
        opset (int, optional): ONNX opset; torch's default if None.
    """
    program = export_program(model, example, dynamic)
    example = program.example_inputs[0][0]
    wrapped = ClassifierLogits(model).eval()
    big = sum(p.numel() * p.element_size() for p in model.parameters()) \
        > 2**30  # protobuf's 2 GB limit: weights go to a side file
    try:
        onnx_program = _onnx_export(program, (example, ), opset)
    except Exception as error:  # noqa: B902 (explained below)
        culprit = _culprit(wrapped, example,
                           lambda m, args: _onnx_export(m, args, opset=opset))
        raise ExportError(
            f'{culprit or first_line(error, 200)}: the ONNX exporter cannot '
            'convert it; rewrite it with standard operators or give '
            'torch.onnx.export a custom_translation_table') from None
    # torch's exporter keeps its own lowest opset when it cannot convert
    # down, and says so only in a log line
    given = onnx_program.model.opset_imports.get('')
    if opset is not None and given != opset:
        raise ExportError(f'--opset {opset}: torch\'s exporter could not '
                          f'convert the model to it (it gave opset '
                          f'{given}); give --opset {given} or more, or '
                          'leave --opset out')
    onnx_program.save(out_file, external_data=big)
