# Copyright (c) mmrecast contributors. All rights reserved.
import argparse
import ast
import re
from unittest import mock

import pytest

from mmrecast.utils.cli import (add_common_args, cfg_options_dict, dump_file,
                                file_stem, folder, load_config, natural_int,
                                non_negative_float, output_file,
                                positive_float, positive_int, tool_description)
from mmrecast.utils.errors import ConfigError
from tests.helpers import REPO, run_tool_in_process

#: tools whose --help describes them by their docstring
DOCUMENTED = sorted(
    str(path.relative_to(REPO / 'tools'))
    for path in REPO.glob('tools/**/*.py') if '(__doc__' in path.read_text())


def test_a_syntax_error_is_named_by_the_file_that_has_it(
        tmp_path, monkeypatch):
    broken = tmp_path / 'broken.py'
    broken.write_text("\nmodel = dict(type='ImageClassifier'\n")
    child = tmp_path / 'child.py'
    child.write_text("_base_ = ['broken.py']\n")
    # a module of the user's that the config imports
    (tmp_path / 'my_recasters.py').write_text('def f(:\n    pass\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    imports = tmp_path / 'imports.py'
    imports.write_text("custom_imports = dict(imports=['my_recasters'])\n")
    for config, says in (
            (broken, f"{broken}:2: '(' was never closed; fix the "
             "config's Python syntax"),
            # it named child.py, with broken.py's line
            (child, f"{broken}:2: '(' was never closed; fix that file's "
             'Python syntax'),
            # it said "the config's"
            (imports, f"{tmp_path / 'my_recasters.py'}:1: invalid syntax; "
             "fix that file's Python syntax")):
        with pytest.raises(ConfigError) as error:
            load_config(str(config))
        assert str(error.value) == says


def test_positive_int_reads_counts():
    assert positive_int('64') == 64


@pytest.mark.parametrize('text', ['0', '-3', '1.5', 'sixty'])
def test_positive_int_refuses_the_rest_in_one_line(text):
    with pytest.raises(argparse.ArgumentTypeError,
                       match=f"'{text}': give a whole number of at least 1"):
        positive_int(text)


def test_natural_int_takes_none_and_refuses_less():
    assert natural_int('0') == 0 and natural_int('7') == 7
    for text in ('-1', 'x'):
        with pytest.raises(argparse.ArgumentTypeError,
                           match=f"'{text}': give a whole number of at "
                           'least 0'):
            natural_int(text)


def test_a_file_stem_stays_in_its_folder():
    # export_student.py --name ../escape once wrote beside its OUT_DIR
    assert file_stem('student') == 'student'
    for text in ('', '..', 'a/b', '../escape'):
        with pytest.raises(argparse.ArgumentTypeError,
                           match='give a file name without a folder'):
            file_stem(text)


def test_numbers_above_or_at_least_zero():
    assert positive_float('0.5') == 0.5 and non_negative_float('0') == 0.0
    for parse, text, says in ((positive_float, '0', 'above 0'),
                              (positive_float, 'nan', 'above 0'),
                              (non_negative_float, '-1', 'of at least 0'),
                              (non_negative_float, 'x', 'of at least 0')):
        with pytest.raises(argparse.ArgumentTypeError,
                           match=f"^'{text}': give a number {says}$"):
            parse(text)


def test_a_folder_to_write_may_be_new_but_not_a_file(tmp_path):
    # a file given as --work-dir once failed after the search's minutes of
    # timing, with a FileExistsError traceback
    for new in (tmp_path, tmp_path / 'new', tmp_path / 'new' / 'deeper'):
        assert folder(str(new)) == str(new)
    (tmp_path / 'file').write_text('')
    with pytest.raises(argparse.ArgumentTypeError,
                       match=f"^'{tmp_path}/file': is a file, not a folder"):
        folder(str(tmp_path / 'file'))
    with pytest.raises(argparse.ArgumentTypeError,
                       match=f"^'{tmp_path}/file/run': {tmp_path}/file is a "
                       'file, not a folder'):
        folder(str(tmp_path / 'file' / 'run'))
    # the tools' --work-dir takes it
    parser = argparse.ArgumentParser(prog='train.py')
    add_common_args(parser)
    with pytest.raises(SystemExit):
        parser.parse_args(['--work-dir', str(tmp_path / 'file')])


def test_a_file_to_write_needs_a_folder_and_a_format_mmengine_writes(
        tmp_path):
    assert output_file(str(tmp_path / 'new' / 'm.onnx')).endswith('m.onnx')
    (tmp_path / 'file').write_text('')
    for bad, says in ((tmp_path, 'is a folder; give a file name'),
                      (tmp_path / 'file' / 'm.onnx',
                       f'{tmp_path}/file is a file, not a folder')):
        with pytest.raises(argparse.ArgumentTypeError, match=says):
            output_file(str(bad))
    assert dump_file(str(tmp_path / 'metrics.json')).endswith('.json')
    for bad in ('metrics.txt', 'metrics'):
        with pytest.raises(argparse.ArgumentTypeError, match='give it the '
                           'extension of a format mmengine writes, one of '
                           r'\.json'):
            dump_file(str(tmp_path / bad))


def test_cfg_options_take_key_value_pairs(capsys):
    parser = argparse.ArgumentParser(prog='train.py')
    add_common_args(parser)
    args = parser.parse_args(['--cfg-options', 'a.b=1', 'c=[1,2]'])
    assert args.cfg_options == {'a.b': 1, 'c': [1, 2]}
    with pytest.raises(SystemExit) as stop:
        parser.parse_args(['--cfg-options', 'a.b=1', 'train_cfg.max_iters'])
    assert stop.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "train.py: error: --cfg-options 'train_cfg.max_iters': write "
        'KEY=VALUE, e.g. train_cfg.max_iters=1000')
    # a value mmengine's parser cannot read (it recursed without end)
    nested = "model.spans=[dict(blocks='a', recasters=[dict(type='B')])]"
    with pytest.raises(SystemExit) as stop:
        parser.parse_args(['--cfg-options', 'a.b=1', nested])
    assert stop.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f'train.py: error: --cfg-options {nested!r}: mmengine cannot read '
        'this value; give numbers, strings and [lists], and a nested dict '
        'field by field (e.g. model.spans.0.blocks=PATTERN) or in a config '
        'file')
    # one it reads as the text "dict(type='EMAHook')", which failed only
    # when the runner built its hooks, with a traceback
    for text in ("custom_hooks=[dict(type='EMAHook')]",
                 "x=[1, (dict(a=1), 2)]"):
        with pytest.raises(SystemExit):
            parser.parse_args(['--cfg-options', text])
        assert 'mmengine cannot read this value' in capsys.readouterr().err
    # a pattern that only looks like a call is text, as meant
    assert parser.parse_args([
        '--cfg-options', 'model.plan.steps.0.blocks=layer(1|2).0'
    ]).cfg_options == {'model.plan.steps.0.blocks': 'layer(1|2).0'}


def test_words_passed_on_are_read_as_the_tools_read_them():
    # a tool that hands its --cfg-options words to another loads its own
    # copy of the config with the same values
    assert cfg_options_dict(['a.b=1', 'c=[1,2]', 'd=x']) == {
        'a.b': 1, 'c': [1, 2], 'd': 'x'}
    assert cfg_options_dict([]) == {}


def test_words_that_cannot_be_read_name_the_flag_they_came_from(capsys):
    with pytest.raises(SystemExit) as stop:
        cfg_options_dict(['a=1', 'model.mode'], '--recast-cfg-options')
    assert stop.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1].endswith(
        "error: --recast-cfg-options 'model.mode': write KEY=VALUE, e.g. "
        'train_cfg.max_iters=1000')


def test_a_tool_description_is_its_docstrings_first_paragraph():
    doc = """Export the student: ``OUT_DIR/x.py`` and
    its weights.

    More."""
    assert tool_description(doc) == ('Export the student: OUT_DIR/x.py and '
                                     'its weights.')


@pytest.mark.parametrize('tool', DOCUMENTED)
def test_every_tool_help_describes_it_in_whole_sentences(tool):
    """``-h`` showed the docstring's first line, cut mid-sentence."""
    code, out, _ = run_tool_in_process(tool, ['-h'])
    assert code == 0
    doc = ast.get_docstring(ast.parse((REPO / 'tools' / tool).read_text()))
    description = tool_description(doc)
    assert re.search(r'[.?]$', description), description
    assert description in ' '.join(out.split())


def test_runners_of_one_process_do_not_share_a_logger_or_visualizer(
        tmp_path):
    """mmengine names them by config and second, and reuses one of that
    name: a second run in the same second logged into the first's
    folder."""
    from mmengine.config import Config

    from mmrecast.utils.cli import build_runner
    from tests.helpers import config_path
    runners = []
    for name in ('a', 'b'):
        cfg = Config.fromfile(config_path(
            'classification', 'resnet18-w16_1xb128_cifar10-folder.py'))
        cfg.work_dir = str(tmp_path / name)
        # both in one second, as fast tool runs in a test are
        with mock.patch('time.time', return_value=1.8e9):
            runners.append(build_runner(cfg))
    first, second = runners
    assert first.experiment_name != second.experiment_name
    assert first.visualizer is not second.visualizer
    assert first.logger is not second.logger
