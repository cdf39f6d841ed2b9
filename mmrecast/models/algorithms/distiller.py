# Copyright (c) mmrecast contributors. All rights reserved.
from typing import Callable, Dict, Mapping, NamedTuple, Optional, Tuple, Union

import torch
import torch.nn as nn

from mmrecast.registry import MODELS
from mmrecast.utils.errors import ConfigError
from ..recorders import FeatureRecorder

__all__ = ['Distiller', 'Source', 'LOGITS']

#: Record name that always means a model's output (its logits).
LOGITS = 'logits'


class Source(NamedTuple):
    """What one side of a loss reads: a record of the student or teacher,
    optionally passed through a connector."""
    side: str
    record: str
    connector: Optional[str] = None

    @classmethod
    def parse(cls, side: str, spec: Union[None, str, dict],
              field: str) -> 'Source':
        """From a config value: ``'feat'`` or ``dict(record=...,
        connector=...)``."""
        if spec is None:
            raise ConfigError(f'{field} is missing: say what the loss '
                              "compares, e.g. 'logits' or dict(record='feat', "
                              "connector='translator')")
        if isinstance(spec, str):
            return cls(side, spec)
        if set(spec) - {'record', 'connector'} or 'record' not in spec:
            raise ConfigError(f'{field} must be a record name or '
                              f'dict(record=..., connector=...), got {spec}')
        return cls(side, spec['record'], spec.get('connector'))


#: ``parse(loss_name, loss_cfg) -> (prediction, target)``; pops the keys of
#: ``loss_cfg`` that say what the loss compares.
SourceParser = Callable[[str, dict], Tuple[Source, Source]]


class Distiller:
    """Recorders, connectors and named losses, and what each loss compares.

    One object serves every distillation-style algorithm: the algorithm
    runs the models (with the recorders attached) and hands over the
    logits; :meth:`compute` reads each loss's two :class:`Source` values
    and returns the losses by name. The connectors and losses are
    ``nn.ModuleDict`` s that the owning algorithm registers as its own
    ``connectors`` and ``losses`` children, so checkpoint keys are
    ``connectors.<name>.*``.

    Args:
        recorders (Mapping[str, FeatureRecorder]): Recorder per side
            (``'student'``, ``'teacher'``).
        connectors (dict): Connector name -> config.
        losses (dict): Loss name (starting with ``loss``) -> loss config
            plus the keys that ``parse`` pops.
        parse (callable): Reads a loss config's sources, see
            :data:`SourceParser`.
        field (str): Config field of ``losses``, named in errors.
            Defaults to ``'losses'``.
    """

    def __init__(self,
                 recorders: Mapping[str, FeatureRecorder],
                 connectors: Dict[str, dict],
                 losses: Dict[str, dict],
                 parse: SourceParser,
                 field: str = 'losses'):
        self.field = field
        self.recorders = dict(recorders)
        self.connectors = nn.ModuleDict(
            {name: MODELS.build(cfg)
             for name, cfg in connectors.items()})
        self.losses = nn.ModuleDict()
        self.sources: Dict[str, Tuple[Source, Source]] = {}
        for name, cfg in losses.items():
            if not name.startswith('loss'):
                raise ConfigError(f"loss names must start with 'loss' (so "
                                  f'that they are summed and logged), got '
                                  f'{name!r}')
            cfg = dict(cfg)
            pair = parse(name, cfg)
            for source in pair:
                self._check(name, source)
            self.sources[name] = pair
            self.losses[name] = MODELS.build(cfg)

    def _check(self, name: str, source: Source) -> None:
        field = f'{self.field}.{name}.{source.side}'
        recorder = self.recorders[source.side]
        if source.record != LOGITS and source.record not in recorder.sources:
            raise ConfigError(
                 f'{field}: record {source.record!r} is neither {LOGITS!r} '
                 f'nor one of the {source.side}_recorders '
                 f'{list(recorder.sources)}')
        if source.connector is not None \
                and source.connector not in self.connectors:
            raise ConfigError(f'{field}: connector {source.connector!r} is '
                              f'not one of {list(self.connectors)}')

    def needs_logits(self, side: str) -> bool:
        """Whether a loss reads the logits of ``side``."""
        return any(s.side == side and s.record == LOGITS
                   for pair in self.sources.values() for s in pair)

    def run_teacher(self, teacher: Callable,
                    inputs: torch.Tensor) -> Optional[torch.Tensor]:
        """Run the teacher without autograd while recording; it stops after
        its last record unless a loss needs its logits.

        Returns:
            Tensor | None: The teacher's logits, if computed.
        """
        recorder = self.recorders['teacher']
        if not (recorder.sources or self.needs_logits('teacher')):
            return None
        stop = None if self.needs_logits('teacher') else list(
            recorder.sources)
        with torch.no_grad():
            return recorder.run(
                teacher, inputs, mode='tensor', stop_after=stop)

    def _read(self, source: Source,
              logits: Mapping[str, Optional[torch.Tensor]]) -> torch.Tensor:
        if source.record == LOGITS:
            value = logits[source.side]
        else:
            value = self.recorders[source.side][source.record]
        if source.connector is not None:
            value = self.connectors[source.connector](value)
        return value

    def compute(
        self, logits: Optional[Mapping[str, Optional[torch.Tensor]]] = None
    ) -> Dict[str, torch.Tensor]:
        """Every loss on the last recorded forward passes.

        Args:
            logits (Mapping[str, Tensor], optional): Logits per side, where
                a loss needs them.
        """
        logits = logits or {}
        losses = {}
        for name, loss in self.losses.items():
            pred, target = self.sources[name]
            losses[name] = loss(
                self._read(pred, logits), self._read(target, logits))
        return losses
