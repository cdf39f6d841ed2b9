# Copyright (c) mmrecast contributors. All rights reserved.
from typing import NamedTuple, Optional

from mmengine.logging import MessageHub

__all__ = ['StageInfo']


class StageInfo(NamedTuple):
    """The stage of a staged run, as :class:`~mmrecast.engine.RecastLoop`
    publishes it in the message hub before every iteration.

    Args:
        stage (int): The stage in training (0-based).
        num_stages (int): How many stages the run has.
        ends (bool): Whether the current iteration is the stage's last.
        iters_per_stage (int): The run's stage length.
    """
    stage: int
    num_stages: int
    ends: bool
    iters_per_stage: int = 0

    KEY = 'recast_stage'

    def publish(self, message_hub: MessageHub) -> None:
        """Write this info into ``message_hub`` (runtime info)."""
        message_hub.update_info(self.KEY, dict(self._asdict()))

    @classmethod
    def read(cls, message_hub: MessageHub) -> Optional['StageInfo']:
        """The published info, or None outside a staged run."""
        info = message_hub.get_info(cls.KEY)
        return None if info is None else cls(**info)
