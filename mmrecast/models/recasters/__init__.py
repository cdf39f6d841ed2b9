# Copyright (c) mmrecast contributors. All rights reserved.
__all__ = []
