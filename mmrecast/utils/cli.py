# Copyright (c) mmrecast contributors. All rights reserved.
"""Command-line pieces shared by ``tools/train.py`` and ``tools/test.py``."""
import argparse
import itertools
import os
import os.path as osp
import re
import sys
from typing import Optional, Sequence

from mmengine.config import Config, DictAction
from mmengine.fileio.io import file_handlers
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

from .checkpoint import set_unsafe_load
from .config_check import LAUNCHERS, check_config
from .errors import ConfigError, syntax_error_line
from .runtime import setup_runtime

__all__ = [
    'tool_description', 'make_parent', 'load_config', 'add_common_args',
    'merge_common_args', 'build_runner', 'add_tool_args', 'add_plot_args',
    'apply_tool_args', 'refuse_existing', 'config_for_testing',
    'merge_cfg_options', 'positive_int', 'natural_int', 'positive_float',
    'CfgOptions', 'cfg_options_dict', 'add_library_cfg_options'
]


def tool_description(doc: str) -> str:
    """A tool's ``--help`` description: the first paragraph of its
    docstring, ``doc``, as one line (argparse wraps it again); its first
    line alone stopped mid-sentence. Markup quotes (````x````) are
    dropped."""
    return ' '.join(doc.strip().split('\n\n')[0].replace('``', '').split())


#: What only training reads: a test run drops them, so that a test-only
#: config (or one with half a training set-up) evaluates as it is.
TRAIN_FIELDS = ('train_dataloader', 'train_cfg', 'optim_wrapper',
                'param_scheduler', 'auto_scale_lr')


def positive_int(text: str, least: int = 1) -> int:
    """An argparse ``type``: an integer of at least ``least`` (1: a batch
    size, a count), refused at the command line rather than deep in a
    run."""
    try:
        value = int(text)
    except ValueError:
        value = least - 1
    if value < least:
        raise argparse.ArgumentTypeError(
            f'{text!r}: give a whole number of at least {least}')
    return value


def natural_int(text: str) -> int:
    """An argparse ``type``: an integer of at least 0 (a count that may
    be none)."""
    return positive_int(text, least=0)


def _file_in_the_way(path: str) -> Optional[str]:
    """The file that stands where ``path`` or a folder above it would be
    (None: the path is free, or folders all the way)."""
    path = osp.abspath(path)
    while not osp.exists(path):
        path = osp.dirname(path)
    return None if osp.isdir(path) else path


def folder(text: str) -> str:
    """An argparse ``type``: a folder to write into, which may not exist
    yet. A file in its place (or in the place of a folder above it) is
    refused at the command line, not after the work that writes there."""
    blocking = _file_in_the_way(text)
    if blocking:
        where = '' if blocking == osp.abspath(text) else f'{blocking} '
        raise argparse.ArgumentTypeError(
            f'{text!r}: {where}is a file, not a folder; give a folder')
    return text


def output_file(text: str) -> str:
    """An argparse ``type``: a file to write, whose folder may not exist
    yet; a folder in its place, or a file in the place of its folder, is
    refused at the command line."""
    if osp.isdir(text):
        raise argparse.ArgumentTypeError(
            f'{text!r}: is a folder; give a file name')
    blocking = _file_in_the_way(osp.dirname(osp.abspath(text)))
    if blocking:
        raise argparse.ArgumentTypeError(
            f'{text!r}: {blocking} is a file, not a folder')
    return text


def make_parent(path: str) -> str:
    """Make the folder ``path`` goes into (an :func:`output_file` may name
    a new one) and return ``path``; called at the write, so that a run
    refused before it leaves no empty folder."""
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    return path


def file_stem(text: str) -> str:
    """An argparse ``type``: a file name without its folder or extension
    (``student``), which a tool joins to its output folder."""
    if text in ('', '.', '..') or osp.basename(text) != text:
        raise argparse.ArgumentTypeError(
            f'{text!r}: give a file name without a folder, e.g. student')
    return text


def dump_file(text: str) -> str:
    """An argparse ``type``: an :func:`output_file` that ``mmengine.dump``
    writes in the format its extension names (metrics as .json, ...)."""
    output_file(text)
    if osp.splitext(text)[1][1:] not in file_handlers:
        raise argparse.ArgumentTypeError(
            f'{text!r}: give it the extension of a format mmengine writes, '
            f'one of {", ".join("." + f for f in file_handlers)}')
    return text


def positive_float(text: str, zero: bool = False) -> float:
    """An argparse ``type``: a number above 0 (seconds, a budget), or of
    at least 0 with ``zero``."""
    try:
        value = float(text)
    except ValueError:
        value = float('nan')
    if not (value > 0 or zero and value == 0):
        bound = 'of at least' if zero else 'above'
        raise argparse.ArgumentTypeError(f'{text!r}: give a number {bound} 0')
    return value


def non_negative_float(text: str) -> float:
    """An argparse ``type``: a number of at least 0 (a tolerance that may
    be exact, seconds held back)."""
    return positive_float(text, zero=True)


class CfgOptions(DictAction):
    """mmengine's ``DictAction`` for ``--cfg-options``, with an option that
    has no ``=``, or a value it cannot read or reads as the text of a dict
    (``[dict(type='X')]``), refused at the command line in one line
    (``DictAction`` ends in a traceback, or the run in one later)."""

    def __call__(self, parser, namespace, values, option_string=None):
        option = option_string or self.dest
        for value in values if isinstance(values, list) else [values]:
            if '=' not in value:
                parser.error(f'{option} {value!r}: write KEY=VALUE, e.g. '
                             'train_cfg.max_iters=1000')
            key = value.partition('=')[0]
            try:
                super().__call__(parser, namespace, [value], option_string)
                # in a list, dict(...) is read as the text 'dict(...)'
                readable = not _has_dict_text(getattr(namespace,
                                                      self.dest)[key])
            except Exception:  # noqa: B902 (mmengine's value parser fails
                # in assorted ways, e.g. RecursionError on nested calls)
                readable = False
            if not readable:
                parser.error(f'{option} {value!r}: mmengine cannot read this '
                             'value; give numbers, strings and [lists], and a '
                             'nested dict field by field (e.g. '
                             'model.spans.0.blocks=PATTERN) or in a config '
                             'file')


def _has_dict_text(value) -> bool:
    """Whether a parsed option value holds the text ``dict(...)``, which
    mmengine reads as a string where a dict was meant."""
    if isinstance(value, (list, tuple)):
        return any(_has_dict_text(item) for item in value)
    return isinstance(value, str) and bool(re.match(r'\s*dict\s*\(', value))


def cfg_options_dict(words: Sequence[str],
                     option: str = '--cfg-options') -> dict:
    """``--cfg-options`` words (``KEY=VALUE``) as the tools read them: for
    a tool that loads the configs it passes the words on to. A word it
    cannot read ends the tool in one line naming ``option``, the flag the
    words came from."""
    parser = argparse.ArgumentParser(prog=osp.basename(sys.argv[0]))
    parser.add_argument(option, nargs='*', action=CfgOptions, dest='options')
    return parser.parse_args([option, *words]).options or {}


def add_common_args(parser: argparse.ArgumentParser) -> None:
    """Add ``--work-dir``, ``--cfg-options``, ``--launcher``,
    ``--unsafe-load`` and both spellings of ``--local-rank``."""
    parser.add_argument('--work-dir', type=folder,
                        help='the dir to save logs and models')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=CfgOptions,
        help='override settings of the config, as key=value pairs; a list is '
        'key="[a,b]" or key=a,b, nested ones key="[(a,b),(c,d)]" (quotes '
        'needed, no white space)')
    parser.add_argument(
        '--launcher',
        choices=LAUNCHERS,
        default='none',
        help='job launcher')
    parser.add_argument(
        '--unsafe-load',
        action='store_true',
        help='fully unpickle checkpoints that are not plain weights (a '
        'third-party file you trust); by default checkpoints load '
        'weights-only')
    parser.add_argument(
        '--debug',
        action='store_true',
        help='show the traceback of an error (also MMRECAST_DEBUG=1)')
    # torch.distributed.launch passes --local-rank (hyphen) on torch >= 2.
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def merge_common_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply the common arguments to ``cfg`` (``--cfg-options`` last)."""
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    cfg.launcher = args.launcher
    # work_dir priority: CLI > config > ./work_dirs/<config name>
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    if args.unsafe_load:
        cfg.unsafe_load = True
    return merge_cfg_options(cfg, args.cfg_options)


def merge_cfg_options(cfg: Config, options: Optional[dict]) -> Config:
    """Apply ``--cfg-options`` to ``cfg``; a field that cannot take its
    value is a one-line :class:`ConfigError`."""
    if options:
        try:
            cfg.merge_from_dict(options)
        except (AttributeError, TypeError, KeyError) as error:
            raise ConfigError(
                f'--cfg-options {" ".join(options)}: cannot be set '
                f'({error}); is a parent field None or not a dict?') from None
    return cfg


def config_for_testing(args: argparse.Namespace) -> Config:
    """The config a test tool runs: ``args.config`` with the common
    arguments, checked, without training fields (:data:`TRAIN_FIELDS`) or
    ``load_from``; an existing ``--out`` file is refused first (unless
    ``--force``)."""
    if args.out:
        refuse_existing([args.out], args.force)
    cfg = merge_common_args(load_config(args.config), args)
    check_config(cfg)
    for name in TRAIN_FIELDS:
        cfg[name] = None
    cfg.load_from = None
    return cfg


#: runners built in this process (see :func:`build_runner`)
_RUNNERS_BUILT = itertools.count()


def build_runner(cfg: Config) -> Runner:
    """Set up the runtime (:func:`setup_runtime`) and build the runner.

    mmengine names a run's logger, visualizer and message hub after its
    config and the second it started, and reuses an instance of that
    name: a second run of one config started in the same second by the
    same process (tools run in a test, a notebook) would log into the
    first run's folder. Each later runner of the process gets a numbered
    ``experiment_name`` (the first keeps mmengine's).
    """
    setup_runtime(cfg)
    count = next(_RUNNERS_BUILT)
    if count and not cfg.get('experiment_name'):
        stem = osp.splitext(osp.basename(cfg.filename or 'run'))[0]
        cfg.experiment_name = f'{stem}_{count}'
    if 'runner_type' in cfg:
        return RUNNERS.build(cfg)
    return Runner.from_cfg(cfg)


def add_tool_args(parser: argparse.ArgumentParser,
                  writes: bool = False,
                  cfg_options: bool = False) -> None:
    """``--debug`` and ``--unsafe-load`` for a tool that loads checkpoints
    without a runner; ``--force`` too if it ``writes`` files, and
    ``--cfg-options`` if it reads a config (see :func:`load_config`)."""
    parser.add_argument(
        '--unsafe-load',
        action='store_true',
        help='fully unpickle checkpoints that are not plain weights (a '
        'third-party file you trust)')
    parser.add_argument(
        '--debug',
        action='store_true',
        help='show the traceback of an error (also MMRECAST_DEBUG=1)')
    if writes:
        parser.add_argument(
            '--force',
            action='store_true',
            help='overwrite existing output files')
    if cfg_options:
        parser.add_argument(
            '--cfg-options',
            nargs='+',
            action=CfgOptions,
            help='override config settings (as in tools/train.py)')


def add_library_cfg_options(parser: argparse.ArgumentParser) -> None:
    """``--cfg-options`` (both configs), then ``--library-cfg-options`` and
    ``--recast-cfg-options`` (one of them): for the tools that compare a
    library with its recast pass."""
    parser.add_argument(
        '--cfg-options', nargs='+', default=[], metavar='KEY=VALUE',
        help='override settings of both configs (as in tools/train.py), '
        'e.g. model.teacher_checkpoint=PATH')
    for name in ('library', 'recast'):
        parser.add_argument(
            f'--{name}-cfg-options', nargs='+', default=[],
            metavar='KEY=VALUE',
            help=f'override settings of the {name} config only, after '
            '--cfg-options (the two nest their datasets differently: '
            'train_dataloader.dataset.dataset.data_root in the library, '
            'train_dataloader.dataset.data_root in the recast config)')


def add_plot_args(parser: argparse.ArgumentParser) -> None:
    """What every plotting tool takes: ``--out`` (the PNG it writes,
    required), ``--force`` (to overwrite it; see :func:`refuse_existing`)
    and ``--debug``."""
    parser.add_argument('--out', required=True, type=output_file,
                        help='the PNG to write')
    parser.add_argument(
        '--force', action='store_true', help='overwrite --out')
    parser.add_argument(
        '--debug', action='store_true',
        help='show the traceback of an error (also MMRECAST_DEBUG=1)')


def apply_tool_args(args: argparse.Namespace) -> None:
    """Apply :func:`add_tool_args`' options to this process."""
    if args.unsafe_load:
        set_unsafe_load(True)


def refuse_existing(paths, force: bool) -> None:
    """Stop before overwriting a file the user has, unless ``force``."""
    for path in paths:
        if osp.exists(path) and not force:
            raise ConfigError(f'{path}: exists and would be overwritten; '
                              'pass --force, or choose another output')


def _unscope_collate_fns(cfg: Config) -> None:
    """Drop the ``_scope_`` that a ``'pkg::...'`` base config puts on every
    typed dict from the dataloaders' ``collate_fn``: mmengine's Runner
    would pass it to the function as an argument."""
    for split in ('train', 'val', 'test'):
        loader = cfg.get(f'{split}_dataloader')
        if isinstance(loader, dict) and isinstance(
                loader.get('collate_fn'), dict):
            loader['collate_fn'].pop('_scope_', None)


#: The config files mmengine reads.
_CONFIG_EXTENSIONS = ('.py', '.json', '.yaml', '.yml')


def load_config(path: str, cfg_options: Optional[dict] = None) -> Config:
    """``Config.fromfile`` with a syntax error named by file and line, and
    ``cfg_options`` (``--cfg-options``) merged in; a path that is no config
    file is refused in one line (mmengine raises without naming a file)."""
    if not osp.isfile(path):
        raise ConfigError(f'{path}: ' + (
            'a folder, not a config file' if osp.isdir(path) else
            'no such config file') + '; check the path')
    if osp.splitext(path)[1] not in _CONFIG_EXTENSIONS:
        raise ConfigError(f'{path}: not a config file; give a '
                          f'{"/".join(_CONFIG_EXTENSIONS)} file')
    try:
        cfg = Config.fromfile(path)
    except SyntaxError as error:
        raise ConfigError(syntax_error_line(error, path)) from None
    _unscope_collate_fns(cfg)
    return merge_cfg_options(cfg, cfg_options)
