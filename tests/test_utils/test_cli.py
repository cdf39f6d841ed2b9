# Copyright (c) mmrecast contributors. All rights reserved.
import argparse

import pytest

from mmrecast.utils.cli import positive_int


def test_positive_int_reads_counts():
    assert positive_int('64') == 64


@pytest.mark.parametrize('text', ['0', '-3', '1.5', 'sixty'])
def test_positive_int_refuses_the_rest_in_one_line(text):
    with pytest.raises(argparse.ArgumentTypeError,
                       match=f"'{text}': give a whole number of at least 1"):
        positive_int(text)
