# Copyright (c) mmrecast contributors. All rights reserved.
import datetime
import warnings

from mmengine import DefaultScope

__all__ = ['register_all_modules']


def register_all_modules(init_default_scope: bool = True) -> None:
    """Import every mmrecast module that registers something.

    Configs with ``default_scope='mmrecast'`` find mmrecast's modules lazily
    through the registry ``locations``; call this when building modules
    from Python without a config.

    Args:
        init_default_scope (bool): Also make ``'mmrecast'`` the current
            default scope. Defaults to True.
    """
    import mmrecast.datasets  # noqa: F401,F403
    import mmrecast.engine  # noqa: F401,F403
    import mmrecast.models  # noqa: F401,F403

    if not init_default_scope:
        return
    current = DefaultScope.get_current_instance()
    if current is None:
        DefaultScope.get_instance('mmrecast', scope_name='mmrecast')
    elif current.scope_name != 'mmrecast':
        warnings.warn(f'The current default scope "{current.scope_name}" is '
                      'not "mmrecast"; `register_all_modules` forces it to '
                      '"mmrecast" for the modules built from now on.')
        stamp = datetime.datetime.now().strftime('%Y%m%d-%H%M%S.%f')
        DefaultScope.get_instance(f'mmrecast-{stamp}', scope_name='mmrecast')
