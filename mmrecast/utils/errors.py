# Copyright (c) mmrecast contributors. All rights reserved.
"""User errors of the tools: one line on stderr, no traceback."""
import os
import sys
from typing import Callable

__all__ = ['ConfigError', 'DEBUG_ENV', 'run_tool_main']

#: Environment variable that shows tracebacks of user errors (``1``).
DEBUG_ENV = 'MMRECAST_DEBUG'


class ConfigError(ValueError):
    """A setting the user can fix; the message names the field and the fix.
    """


def run_tool_main(main: Callable[[], None]) -> None:
    """Run a tool's ``main``; a :class:`ConfigError` ends it with
    ``error: <message>`` on stderr and exit status 2, unless
    ``MMRECAST_DEBUG=1`` asks for the traceback."""
    try:
        main()
    except ConfigError as error:
        if os.environ.get(DEBUG_ENV) == '1':
            raise
        print(f'error: {error}', file=sys.stderr)
        sys.exit(2)
