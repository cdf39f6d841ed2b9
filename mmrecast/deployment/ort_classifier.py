# Copyright (c) mmrecast contributors. All rights reserved.
"""An ONNX model in ONNX Runtime as an mmengine model, so that the Runner's
test loop, the config's metrics and ``tools/test.py``'s output apply."""
from typing import List, Optional, Sequence, Union

import numpy as np
import torch
import torch.nn as nn
from mmengine.model import BaseModel

from mmrecast.registry import MODELS
from mmrecast.utils.errors import ConfigError

__all__ = ['ONNXRuntimeClassifier', 'ort_session', 'run_session']


def ort_session(onnx_file: str,
                providers: Optional[Sequence[str]] = None,
                threads: Optional[int] = None,
                spinning: bool = True):
    """An ``onnxruntime.InferenceSession`` on ``onnx_file`` (the CUDA
    provider first when onnxruntime has it, else the CPU).

    ``spinning=False`` lets the idle intra-op workers sleep at once. Use it
    for sessions timed in turn: a finished session's spinning workers hold
    the cores while the next one runs, which slows it unevenly.
    """
    try:
        import onnxruntime as ort
    except ImportError:
        raise ConfigError('onnxruntime is not installed; pip install '
                          '"mmrecast[deploy]" (or onnxruntime)') from None
    options = ort.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
    if not spinning:
        options.add_session_config_entry('session.intra_op.allow_spinning',
                                         '0')
    available = ort.get_available_providers()
    if providers is None:
        providers = [p for p in ('CUDAExecutionProvider',
                                 'CPUExecutionProvider') if p in available]
    try:
        return ort.InferenceSession(
            onnx_file, sess_options=options, providers=list(providers))
    except Exception as error:  # noqa: B902 (onnxruntime's own types)
        if 'NO_SUCHFILE' in str(error) or 'No such file' in str(error):
            raise ConfigError(f'{onnx_file}: no such file; check the path '
                              '(tools/deployment/pytorch2onnx.py writes it)'
                              ) from None
        raise ConfigError(f'{onnx_file}: onnxruntime cannot load it '
                          f'({str(error).splitlines()[0][:160]}); export it '
                          'again with tools/deployment/pytorch2onnx.py'
                          ) from None


def run_session(session, inputs: torch.Tensor) -> torch.Tensor:
    """Logits of ``inputs`` (N, C, H, W); a model exported for a fixed
    batch size is fed one slice of that size at a time."""
    node = session.get_inputs()[0]
    if len(node.shape) != inputs.dim() or any(
            isinstance(want, int) and want != got
            for want, got in zip(node.shape[1:], inputs.shape[1:])):
        shape = ', '.join(str(d) if isinstance(d, int) else '?'
                          for d in node.shape)  # '?': a dynamic axis
        raise ConfigError(
            f"the ONNX model takes inputs ({shape}), the config's data give "
            f'{tuple(inputs.shape)}: run it with the config it was exported '
            'from')
    batch = node.shape[0] if isinstance(node.shape[0], int) else len(inputs)
    array = inputs.detach().cpu().numpy().astype(np.float32)
    outputs = [
        session.run(None, {node.name: array[i:i + batch]})[0]
        for i in range(0, len(array), batch)
    ]
    return torch.from_numpy(np.concatenate(outputs))


@MODELS.register_module()
class ONNXRuntimeClassifier(BaseModel):
    """Predictions of an exported classifier in ONNX Runtime.

    Build it in place of a config's model (``tools/deployment/
    test_onnx.py`` does) to evaluate the ONNX file exactly as
    ``tools/test.py`` evaluates the torch model: same data, same
    preprocessing, same metrics.

    Args:
        onnx_file (str): The model, as written by ``pytorch2onnx.py``.
        data_preprocessor (dict | nn.Module, optional): The config's
            preprocessor (or a built one); mmpretrain's
            ``ClsDataPreprocessor`` by default.
        providers (Sequence[str], optional): onnxruntime providers.
        threads (int, optional): onnxruntime's intra-op threads (its own
            choice, all cores, if None).
        spinning (bool): Whether idle workers spin (see
            :func:`ort_session`). Defaults to True.
        init_cfg (dict, optional): Unused (nothing to initialise).
    """

    def __init__(self,
                 onnx_file: str,
                 data_preprocessor: Optional[Union[dict, nn.Module]] = None,
                 providers: Optional[Sequence[str]] = None,
                 threads: Optional[int] = None,
                 spinning: bool = True,
                 init_cfg: Optional[dict] = None):
        if not isinstance(data_preprocessor, nn.Module):
            data_preprocessor = dict(data_preprocessor or {})
            data_preprocessor.setdefault('type',
                                         'mmpretrain.ClsDataPreprocessor')
        super().__init__(data_preprocessor, init_cfg)
        self.session = ort_session(onnx_file, providers, threads, spinning)

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[list] = None,
                mode: str = 'predict'):
        if mode == 'tensor':
            return run_session(self.session, inputs)
        if mode != 'predict':
            raise ConfigError(f'mode={mode!r}: an ONNX model only predicts '
                              "('predict' or 'tensor'); it cannot train")
        return self._predictions(
            run_session(self.session, inputs), data_samples)

    @staticmethod
    def _predictions(logits: torch.Tensor,
                     data_samples: Optional[list]) -> List:
        """Data samples with scores and labels, as mmpretrain's heads set
        them (softmax scores, arg-max label)."""
        from mmpretrain.structures import DataSample
        scores = torch.softmax(logits, dim=1)
        labels = scores.argmax(dim=1, keepdim=True)
        if data_samples is None:
            data_samples = [DataSample() for _ in range(len(scores))]
        for sample, score, label in zip(data_samples, scores, labels):
            sample.set_pred_score(score).set_pred_label(label)
        return data_samples
