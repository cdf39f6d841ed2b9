# Copyright (c) mmrecast contributors. All rights reserved.
"""A plan of the user's own from a trained library, named block by block."""
import fnmatch
from typing import Dict, Mapping, Optional, Sequence, Tuple

from mmrecast.utils.errors import ConfigError

__all__ = ['parse_choice']

_KEEP = 'keep'


def parse_choice(pairs: Sequence[str],
                 names: Mapping[str, Sequence[str]],
                 where: str,
                 requires: Optional[Mapping[Tuple[str, int],
                                            Tuple[str, int]]] = None
                 ) -> Dict[str, int]:
    """A choice (block -> candidate index) from ``BLOCKS=CANDIDATE`` pairs.

    ``BLOCKS`` is a block of the library or a glob over its blocks
    (``backbone.layer1.*``); ``CANDIDATE`` is a candidate's name
    (:func:`~mmrecast.search.uniform_name`, e.g. ``BlockToShortcut``), its
    index in the block's list, or ``keep`` for the teacher's own block.
    Later pairs override earlier ones, so a plan reads as a default and
    its exceptions (``backbone.*=BasicBlockToConv
    backbone.layer1.[01]=BlockToShortcut``).

    Args:
        pairs (Sequence[str]): The pairs, in order.
        names (Mapping[str, Sequence[str]]): Block -> the names of its
            candidates, by index, in forward order.
        where (str): The option they came from, for errors.
        requires (Mapping, optional): Option -> the option it is chosen
            with (:meth:`~mmrecast.models.CandidateLibrary.requirements`).

    Raises:
        ConfigError: A pair without ``=``, a glob that matches no block,
            a candidate a block does not have, or a span candidate without
            the removal of the block it covers.
    """
    choice: Dict[str, int] = {}
    for pair in pairs:
        pattern, _, wanted = pair.partition('=')
        if not pattern or not wanted:
            raise ConfigError(f'{where} {pair}: write BLOCKS=CANDIDATE, '
                              'e.g. backbone.layer1.*=BlockToShortcut')
        blocks = [b for b in names if fnmatch.fnmatchcase(b, pattern)]
        if not blocks:
            listed = list(names)
            raise ConfigError(
                f'{where} {pair}: {pattern} matches no block of the library '
                f'(it has {listed[0]} to {listed[-1]})')
        for block in blocks:
            options = list(names[block])
            if wanted == _KEEP:
                choice.pop(block, None)
            elif wanted in options:
                choice[block] = options.index(wanted)
            elif wanted.isdigit() and int(wanted) < len(options):
                choice[block] = int(wanted)
            else:
                raise ConfigError(
                    f'{where} {pair}: {block} has no candidate {wanted}; '
                    f'name one of {", ".join(options)}, give its index, or '
                    f'{_KEEP}')
    for (block, index), (other, needed) in (requires or {}).items():
        if choice.get(block) == index and choice.get(other) != needed:
            raise ConfigError(
                f'{where}: {block}={names[block][index]} stands in for '
                f'{other} too; remove it as well ({other}='
                f'{names[other][needed]})')
    return choice
