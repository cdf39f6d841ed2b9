# Copyright (c) mmrecast contributors. All rights reserved.
import mmengine.registry as mmengine_registry
from mmengine.registry import Registry

import mmrecast.registry as mmrecast_registry


def _registries(module) -> dict:
    return {
        name: obj
        for name, obj in vars(module).items()
        if isinstance(obj, Registry) and name.isupper()
        and not name.startswith('MMENGINE_')
    }


def test_every_mmengine_root_has_a_child():
    ours = _registries(mmrecast_registry)
    roots = _registries(mmengine_registry)
    # STRATEGIES belongs to FlexibleRunner internals; mmpretrain skips it too
    roots.pop('STRATEGIES', None)
    missing = [name for name in roots if name not in ours]
    assert not missing, f'no mmrecast child for {missing}'
    for name, root in roots.items():
        assert ours[name].parent is root, name
        assert ours[name].scope == 'mmrecast', name


def test_recasters_registry_is_mmrecast_root():
    recasters = mmrecast_registry.RECASTERS
    assert recasters.scope == 'mmrecast'
    assert recasters.parent is None


def test_all_names_exported():
    exported = set(mmrecast_registry.__all__)
    assert set(_registries(mmrecast_registry)) == exported
