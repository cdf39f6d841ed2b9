# Copyright (c) mmrecast contributors. All rights reserved.
"""Every config folder is documented: a README and a metafile whose
entries name existing configs, all imported by the root model-index.yml."""
import yaml

from tests.helpers import REPO


def test_every_config_folder_has_readme_and_indexed_metafile():
    index = yaml.safe_load((REPO / 'model-index.yml').read_text())
    imported = set(index['Import'])
    folders = [
        p for p in (REPO / 'configs').iterdir()
        if p.is_dir() and p.name != '_base_'
    ]
    assert folders
    for folder in folders:
        assert (folder / 'README.md').is_file(), folder
        metafile = folder / 'metafile.yml'
        assert f'configs/{folder.name}/metafile.yml' in imported, folder
        meta = yaml.safe_load(metafile.read_text())
        assert meta['Models'], metafile
        for model in meta['Models']:
            assert (REPO / model['Config']).is_file(), model['Config']
    assert all((REPO / path).is_file() for path in imported)
