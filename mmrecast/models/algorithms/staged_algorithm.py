# Copyright (c) mmrecast contributors. All rights reserved.
from abc import abstractmethod

from .base_algorithm import BaseAlgorithm

__all__ = ['StagedAlgorithm']


class StagedAlgorithm(BaseAlgorithm):
    """An algorithm trained in stages, each with a fresh optimiser.

    This is the whole contract between a staged algorithm and the engine:
    :class:`~mmrecast.engine.RecastLoop` calls :meth:`begin_stage` at every
    stage start and :meth:`install` when it resumes,
    :class:`~mmrecast.engine.RecastProgressHook` reads the stages the loop
    publishes, and export asks :meth:`student_config`. The structure of the
    model after ``k`` installed stages must be a function of ``k`` alone,
    so that any checkpoint can be loaded into a freshly built algorithm.
    """

    @property
    @abstractmethod
    def num_stages(self) -> int:
        """How many stages the algorithm trains."""

    @abstractmethod
    def install(self, stages: int) -> None:
        """Give the model the structure it has after ``stages`` stages
        (idempotent; stages are never uninstalled)."""

    @abstractmethod
    def begin_stage(self, stage: int) -> str:
        """Install stage ``stage`` (0-based) and make it the one that
        trains: its trainable parameters and its loss.

        Returns:
            str: One line saying what the stage trains, for the log.
        """
