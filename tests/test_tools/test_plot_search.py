# Copyright (c) mmrecast contributors. All rights reserved.
"""tools/analysis/plot_search.py: a search's Pareto plot redrawn from its
search.json."""
import json

import pytest

from tests.helpers import REPO, run_tool_in_process

SEARCH = REPO / 'configs' / 'recast_search' / 'logs' / 'factorized'


def test_a_logged_search_is_redrawn_and_nothing_overwritten(tmp_path):
    out = tmp_path / 'plots' / 'pareto.png'  # its folder is made
    code, stdout, err = run_tool_in_process('analysis/plot_search.py',
                                            [SEARCH, '--out', out])
    assert code == 0, err
    plans = json.loads((SEARCH / 'search.json').read_text())['plans']
    assert stdout.strip() == f'wrote {out}: {len(plans)} plans'
    assert out.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'
    code, _, err = run_tool_in_process('analysis/plot_search.py',
                                       [SEARCH, '--out', out])
    assert code == 2
    assert 'exists' in err.strip().splitlines()[-1]


@pytest.mark.parametrize('text, says', [
    (json.dumps(dict(plans=[dict(name='a', score=0.0)])),
     '{search}: the search holds no measured plans'),
    # a JSONDecodeError and an AttributeError traceback once
    ('iter 10: loss 0.5\n', 'search {search}: not the record of a search '
     '(not a JSON object)'),
    ('[1, 2]', 'search {search}: not the record of a search (not a JSON '
     'object)'),
])
def test_a_file_that_is_no_search_record_is_one_line(tmp_path, text, says):
    search = tmp_path / 'search.json'
    search.write_text(text)
    code, _, err = run_tool_in_process(
        'analysis/plot_search.py', [search, '--out', tmp_path / 'p.png'])
    assert code == 2
    assert err.strip().splitlines() == [
        f'error: {says.format(search=search)}; give the search.json that '
        'tools/recast_search.py wrote'
    ]
    assert not (tmp_path / 'p.png').exists()
