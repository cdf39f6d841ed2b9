# Copyright (c) mmrecast contributors. All rights reserved.
import json

import pytest

from mmrecast.search import read_search
from mmrecast.utils.errors import ConfigError


def test_a_search_is_read_from_its_file_or_its_folder(tmp_path):
    record = dict(plans=[], batch=1)
    (tmp_path / 'search.json').write_text(json.dumps(record))
    for given in (tmp_path, tmp_path / 'search.json'):
        assert read_search(str(given), '--search', ('plans', 'batch')) == (
            str(tmp_path / 'search.json'), record)


def test_what_no_search_wrote_is_refused_naming_what_it_lacks(tmp_path):
    path = tmp_path / 'search.json'
    for text, lacks in (('{"plans": []}', "no 'batch' in it"),
                        ('not json', 'not a JSON object'),
                        ('"plans"', 'not a JSON object')):
        path.write_text(text)
        with pytest.raises(ConfigError) as error:
            read_search(str(path), '--search', ('plans', 'batch'))
        assert str(error.value) == (
            f'--search {path}: not the record of a search ({lacks}); give '
            'the search.json that tools/recast_search.py wrote')
    with pytest.raises(ConfigError, match='no such file'):
        read_search(str(tmp_path / 'gone.json'), '--search')
