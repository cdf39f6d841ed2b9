# Copyright (c) mmrecast contributors. All rights reserved.
from mmrecast.search import uniform_name


def test_uniform_plans_of_one_recaster_type_get_their_own_names():
    names = [
        uniform_name(r) for r in (dict(type='BasicBlockToConv'),
                                  dict(type='BasicBlockToConv', groups=2),
                                  dict(type='BasicBlockSlim', ratio=0.25))
    ]
    assert names == [
        'BasicBlockToConv', 'BasicBlockToConv-groups2', 'BasicBlockSlim0.25'
    ]
