# Copyright (c) mmrecast contributors. All rights reserved.
import pytest

from mmrecast.search import parse_choice
from mmrecast.utils.errors import ConfigError

NAMES = {
    f'backbone.layer{stage}.{block}':
    ['BasicBlockToConv', 'BasicBlockSlim0.25', 'BlockToShortcut']
    for stage in (1, 2, 3) for block in (0, 1, 2)
}


def test_later_pairs_override_earlier_ones_block_by_block():
    choice = parse_choice([
        'backbone.*=BasicBlockToConv', 'backbone.layer1.[01]=BlockToShortcut',
        'backbone.layer3.2=1', 'backbone.layer2.1=keep'
    ], NAMES, '--choose mine')
    assert choice == {
        'backbone.layer1.0': 2, 'backbone.layer1.1': 2,
        'backbone.layer1.2': 0, 'backbone.layer2.0': 0,
        'backbone.layer2.2': 0, 'backbone.layer3.0': 0,
        'backbone.layer3.1': 0, 'backbone.layer3.2': 1
    }
    assert parse_choice([], NAMES, '--choose none') == {}


@pytest.mark.parametrize('pair, message', [
    ('backbone.layer1.0', '--choose mine backbone.layer1.0: write '
     'BLOCKS=CANDIDATE, e.g. backbone.layer1.*=BlockToShortcut'),
    ('layer1.*=BlockToShortcut', '--choose mine layer1.*=BlockToShortcut: '
     'layer1.* matches no block of the library (it has backbone.layer1.0 '
     'to backbone.layer3.2)'),
    ('backbone.layer1.0=BasicBlockSlim', '--choose mine '
     'backbone.layer1.0=BasicBlockSlim: backbone.layer1.0 has no candidate '
     'BasicBlockSlim; name one of BasicBlockToConv, BasicBlockSlim0.25, '
     'BlockToShortcut, give its index, or keep'),
    ('backbone.layer1.0=3', '--choose mine backbone.layer1.0=3: '
     'backbone.layer1.0 has no candidate 3; name one of BasicBlockToConv, '
     'BasicBlockSlim0.25, BlockToShortcut, give its index, or keep'),
])
def test_a_pair_that_names_nothing_is_refused_in_one_line(pair, message):
    with pytest.raises(ConfigError) as error:
        parse_choice(['backbone.*=0', pair], NAMES, '--choose mine')
    assert str(error.value) == message


def test_a_span_without_the_removal_of_the_block_it_covers_is_refused():
    names = dict(NAMES, **{'backbone.layer1.0': NAMES['backbone.layer1.0'] +
                           ['BasicBlockToConv-span']})
    requires = {('backbone.layer1.0', 3): ('backbone.layer1.1', 2)}
    assert parse_choice(['backbone.layer1.0=BasicBlockToConv-span',
                         'backbone.layer1.1=BlockToShortcut'], names,
                        '--choose mine', requires) == {
                            'backbone.layer1.0': 3, 'backbone.layer1.1': 2}
    with pytest.raises(ConfigError) as error:
        parse_choice(['backbone.layer1.0=BasicBlockToConv-span'], names,
                     '--choose mine', requires)
    assert str(error.value) == (
        '--choose mine: backbone.layer1.0=BasicBlockToConv-span stands in '
        'for backbone.layer1.1 too; remove it as well '
        '(backbone.layer1.1=BlockToShortcut)')
