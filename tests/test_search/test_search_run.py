# Copyright (c) mmrecast contributors. All rights reserved.
"""The summary of a finished search (run_search itself runs in
tests/test_tools/test_recast_search.py, through the tool)."""
import json

from mmrecast.search import search_summary
from tests.helpers import REPO

SEARCH = REPO / 'configs' / 'recast_search' / 'logs' / 'factorized'


def test_summary_of_a_logged_search_is_what_its_log_printed():
    search = json.loads((SEARCH / 'search.json').read_text())
    summary = search_summary(search).splitlines()
    log = (SEARCH / 'search.log').read_text().splitlines()
    assert summary[0].startswith('teacher: top-1 99.90 %')
    start = log.index(summary[0])
    assert summary == log[start:start + len(summary)]
    # the teacher, the report batch, the table (header, rule, a row per
    # plan), and the latency check of each of the 3 budgets
    assert len(summary) == 2 + 2 + len(search['plans']) + 3
    assert summary[-1].startswith('latency check latency=0.35x: ')
