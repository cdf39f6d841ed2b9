# Copyright (c) mmrecast contributors. All rights reserved.
__version__ = '0.1.0'

#: The version as a tuple of ints, for comparisons.
version_info = tuple(int(part) for part in __version__.split('.'))

__all__ = ['__version__', 'version_info']
