# Copyright (c) mmrecast contributors. All rights reserved.
"""The tools' error contract: a user error is one line on stderr,
``error: <field or file>: <what is wrong>; <the fix>``, and exit status 2.
``--debug`` (or ``MMRECAST_DEBUG=1``) shows the traceback instead."""
import difflib
import inspect
import os
import os.path as osp
import re
import signal
import sys
import threading
import traceback
from typing import Callable, Iterable, List, Mapping, Optional

__all__ = [
    'ConfigError', 'CheckpointFileError', 'DEBUG_ENV', 'ERROR_FILE_ENV',
    'explain', 'run_tool_main', 'print_warning', 'config_arguments',
    'argument_hint', 'refuse_unknown_fields', 'syntax_error_line',
    'RUNNER_GIVES', 'first_line'
]

#: the arguments the Runner passes a loop or a data loader itself, which a
#: config entry does not give
RUNNER_GIVES = frozenset({'self', 'runner', 'dataloader', 'evaluator'})

#: Environment variable that shows tracebacks of user errors (``1``).
DEBUG_ENV = 'MMRECAST_DEBUG'
#: Where rank 0 of a ``dist_*.sh`` job also writes its error line, so the
#: launch script can print it last, after torchrun's own report.
ERROR_FILE_ENV = 'MMRECAST_ERROR_FILE'


def first_line(error: BaseException, limit: Optional[int] = None) -> str:
    """The first line of ``error``'s message (its first ``limit``
    characters), or its type's name when it has none: what a one-line
    report quotes of a library's error."""
    return (str(error).strip().splitlines()
            or [type(error).__name__])[0][:limit]


class ConfigError(ValueError):
    """A setting the user can fix; the message names the field and the fix.
    """


class CheckpointFileError(ConfigError):
    """A file that should be a checkpoint is missing, corrupt or does not
    fit; the message names the file."""


# mmcv's LoadImageFromFile, also inside a data loader worker's report
_BAD_IMAGE = re.compile(r'failed to load image: (\S+)')
# gloo: "Timed out waiting 5000ms for ..."; NCCL's watchdog: "Watchdog caught
# collective operation timeout: ... Timeout(ms)=1800000"
_DIST_TIMEOUT = re.compile(
    r'Timed out waiting (\d+)\s*ms|Watchdog caught collective operation '
    r'timeout.*?Timeout\(ms\)=(\d+)')
# torch's DataLoader when a worker process was ended by a signal (its
# words for it: "Killed", "Bus error") or vanished without a word
_WORKER_KILLED = re.compile(
    r'DataLoader worker \(pid(?:\(s\))? [\d, ]+\) (?:is killed by signal: '
    r'(?P<signal>[\w ]+)|exited unexpectedly$)')
# torch's cross entropy given a label beyond the classifier's outputs
_LABEL_BEYOND = re.compile(r'^Target (\d+) is out of bounds')
# a convolution given an input of another number of channels
_CONV_CHANNELS = re.compile(r'expected input\[[\d, ]+\] to have (\d+) '
                            r'channels, but got (\d+) channels instead')
_REGISTRY_MISS = re.compile(
    r"^'?(?P<type>.+?) is not in the (?P<scope>[\w-]+)::(?P<registry>[\w ]+)"
    r' registry')

# an mmpretrain head's Linear fed features of another width than in_channels
_HEAD_WIDTH = re.compile(r'mat1 and mat2 shapes cannot be multiplied '
                         r'\((\d+)x(\d+) and (\d+)x(\d+)\)')
_BUILD_FUNCTIONS = 'mmengine/registry/build_functions.py'
# where mmpretrain's MNIST and CIFAR data sets fetch their missing files
_DOWNLOADS = 'mmpretrain/datasets/utils.py'
# mmpretrain's CustomDataset on a folder whose subfolders are not the classes
_CLASS_FOLDERS = re.compile(r'number of subfolders \((\d+)\) doesn\'t match '
                            r'the number of specified classes \((\d+)\)')
# mmpretrain's Accuracy with a topk over the number of classes
_EVALUATOR_FIELDS = 'Please check the `val_evaluator` and `test_evaluator`'
# a registered class built from a config entry with an argument it lacks
_UNEXPECTED_ARGUMENT = re.compile(
    r"(?P<type>\w+)\.__init__\(\) got an unexpected keyword argument "
    r"'(?P<arg>\w+)'(?: in <(?:\w+\.)*(?P<hook>\w+) object)?")


def _frames(error: BaseException) -> list:
    """The frames of ``error``'s traceback, outermost first."""
    return [frame for frame, _ in traceback.walk_tb(error.__traceback__)]


def _built_from_config(error: BaseException) -> bool:
    """Whether ``error`` was raised where mmengine calls a class with a
    config entry's arguments: ``build_from_cfg`` itself, or a hook that
    did (the Runner re-raises a hook's error without its traceback)."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return False
    where = frames[-1].filename.replace('\\', '/')
    return where.endswith(_BUILD_FUNCTIONS) or (
        where.endswith('mmengine/runner/runner.py')
        and frames[-1].name == 'call_hook')


def _built_through_constructors(error: BaseException) -> Optional[type]:
    """The class a config entry built, when ``error`` rose from its
    constructor calling a base's with the entry's arguments (a class
    taking ``**kwargs`` for its base: ``CachedLoadImageFromFile``); None
    otherwise. Read from ``build_from_cfg``'s frame, through the public
    traceback API."""
    build = _frame_in(error, 'build_from_cfg', _BUILD_FUNCTIONS)
    if build is None:
        return None
    frames = _frames(error)
    inner = frames[frames.index(build) + 1:]
    if not inner or any(f.f_code.co_name != '__init__' for f in inner):
        return None
    built = build.f_locals.get('obj_cls')
    return built if inspect.isclass(built) else None


def _raising_frame(error: BaseException):
    """The frame in which ``error`` was raised (None if it was not)."""
    frames = _frames(error)
    return frames[-1] if frames else None


def _raising_line(error: BaseException) -> str:
    """The source line that raised ``error``."""
    return traceback.extract_tb(error.__traceback__)[-1].line


def _frame_in(error: BaseException, function: str, path: str):
    """The innermost frame of ``error``'s traceback that runs ``function``
    of a file whose path ends with ``path``, else None."""
    found = None
    for frame in _frames(error):
        code = frame.f_code
        if code.co_name == function and code.co_filename.replace(
                '\\', '/').endswith(path):
            found = frame
    return found


def _refusing_class(error: BaseException) -> Optional[str]:
    """``type='X'`` of the config entry whose class refused an argument
    value in an ``__init__`` (its own, or that of a part it makes: a
    ResNet's blocks), while mmengine's ``build_from_cfg`` built it (e.g.
    mmpretrain's ``num_classes=0`` or ResNet's ``depth=19``), else None."""
    built = _frame_in(error, 'build_from_cfg', _BUILD_FUNCTIONS)
    frame = _raising_frame(error)
    owner = frame.f_locals.get('self')
    if not built or frame.f_code.co_name != '__init__' or owner is None:
        return None
    kind = built.f_locals.get('obj_cls')
    if not inspect.isclass(kind) or isinstance(owner, kind):
        return f'type={type(owner).__name__!r}'
    return f'type={kind.__name__!r} (its {type(owner).__name__})'


def _killed_worker(signal: Optional[str]) -> str:
    """The message of a data loader worker ended by ``signal`` (its name in
    torch's words; None: it vanished): most often memory ran out. Which
    loader is not known: torch reports it wherever the main process is."""
    fix = "lower the data loaders' num_workers or batch_size"
    if signal == 'Bus error':
        return ('data loader worker: a worker process ran out of shared '
                f'memory (Bus error); {fix}, or raise the shared memory '
                "limit (/dev/shm; a container's --shm-size)")
    why = (f'was killed ({signal})' if signal else 'died without a report')
    return (f'data loader worker: a worker process {why}, most often '
            'because memory ran out (see dmesg); ' + fix)


def _selves(error: BaseException, kind) -> list:
    """The ``self`` of each frame of ``error``'s traceback that is a
    ``kind``, outermost first, each once."""
    found = []
    for frame in _frames(error):
        owner = frame.f_locals.get('self')
        if isinstance(owner, kind) and not any(owner is f for f in found):
            found.append(owner)
    return found


def _label_beyond_head(error: BaseException, label: str) -> str:
    """The message of a label the classifier has no output for: its head's
    ``num_classes`` is below the data set's."""
    heads = [h for h in _selves(error, object)
             if isinstance(getattr(h, 'num_classes', None), int)]
    has = f'={heads[-1].num_classes}' if heads else ''
    return (f'head num_classes{has}: a label of the data is {label}, and '
            'the head has no output for it; set num_classes to the number '
            "of classes of the data set in model.head (the student's head "
            'in a distill or recast config)')


def _first_conv_channels(error: BaseException, takes: str,
                         given: str) -> Optional[str]:
    """The message of images with another number of channels than a
    model's first convolution takes (None: the convolution that refused
    its input is inside the network, a bug)."""
    import torch
    from mmengine.model import BaseModel
    from torch import nn
    convs = (nn.Conv1d, nn.Conv2d, nn.Conv3d)
    refused, models = _selves(error, convs), _selves(error, BaseModel)
    if not refused or not models or not any(
            next((m for m in model.modules() if isinstance(m, convs)),
                 None) is refused[-1] for model in models):
        return None
    # and the images are what it refused (not a conv of another kind)
    images = [frame.f_locals['inputs'] for frame in _frames(error)
              if isinstance(frame.f_locals.get('self'), BaseModel)
              and isinstance(frame.f_locals.get('inputs'), torch.Tensor)]
    if not images or images[-1].dim() < 2 or \
            images[-1].shape[1] != int(given):
        return None
    path = next(name for model in models  # the outermost that has it
                for name, module in model.named_modules()
                if module is refused[-1]).split('.')
    # the module a config entry builds: the backbone, else the conv's owner
    owner = '.'.join(path[:path.index('backbone') + 1] if 'backbone' in
                     path else path[:-1] or path)
    return (f'model.{owner}: its first convolution takes {takes}-channel '
            f'images and the data give {given}-channel ones; set its '
            f'in_channels={given} (or load {takes}-channel images)')


def _official_download(folder: str) -> Optional[str]:
    """The mmpretrain data set type that reads the official download in
    ``folder`` as it is (CIFAR-10's python batches, MNIST's idx files),
    else None."""
    from mmpretrain.datasets import CIFAR10, CIFAR100, MNIST
    for kind in (CIFAR10, CIFAR100):
        if osp.isdir(osp.join(folder, kind.base_folder)) or \
                osp.basename(osp.normpath(folder)) == kind.base_folder:
            return kind.__name__
    names = [name[:-len('.gz')] for name, _ in MNIST.train_list]
    if all(osp.isfile(osp.join(folder, n)) for n in names):
        return MNIST.__name__
    return None


def _missing_file(path: str) -> str:
    """The message of a missing file or folder; where an image-folder
    config meets an official download, the config that reads it."""
    parent = osp.dirname(osp.normpath(path))
    official = _official_download(parent)
    if official is None:
        return f'{path}: no such file or folder; check the path'
    return (f'{path}: no such folder; {parent} holds the official '
            f"{official} download, which mmpretrain's type={official!r} "
            f'reads (configs/_base_/datasets/{official.lower()}_bs128.py); '
            'use a config built on it, or set data_root to an image folder')


def _failed_download(error: BaseException) -> Optional[str]:
    """The message of a data set that downloads its files when they are
    missing (mmpretrain's MNIST, CIFAR-10) and could not, else None."""
    frame = _frame_in(error, 'download_url', _DOWNLOADS)
    if frame is None:
        return None
    url, root = frame.f_locals.get('url'), frame.f_locals.get('root')
    if isinstance(error, RuntimeError):  # the file's md5 did not match
        why = 'the file did not match its checksum'
    else:
        reason = getattr(error, 'reason', error)  # urllib's URLError
        why = getattr(reason, 'strerror', None) or str(reason)
    return (f"{os.path.normpath(root)}: the data set's files are not "
            f'there, and downloading them from {url} failed ({why}); put '
            'the official files in that folder, or set data_root to the '
            'folder that holds them')


def config_arguments(kind: type,
                     given: Iterable[str] = (),
                     keywords: bool = True) -> List[str]:
    """The keyword arguments of ``kind`` that a config entry can set (not
    those in ``given``, which its builder passes), or [] when it takes any
    (``**kwargs``; with ``keywords=False`` its named ones still, for a
    class whose ``**kwargs`` take nothing a config could give)."""
    params = inspect.signature(kind).parameters.values()
    if keywords and any(p.kind is p.VAR_KEYWORD for p in params):
        return []
    return [p.name for p in params if p.name not in given
            and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


def argument_hint(arg: str, takes: List[str]) -> str:
    """The end of a line refusing ``arg``: the closest of ``takes`` if one
    is close (a typo), else all of them."""
    close = difflib.get_close_matches(arg, takes, n=1)
    return (f'did you mean `{close[0]}`?' if close else
            f'it takes {", ".join(takes)}')


def refuse_unknown_fields(entry: Mapping, fields: Iterable[str],
                          where: str, fix: str) -> None:
    """Refuse the first key (sorted) of the config dict ``entry`` at
    ``where`` that is not one of ``fields``: ``{where}.{key}: {fix}``."""
    unknown = sorted(set(entry) - set(fields))
    if unknown:
        raise ConfigError(f'{where}.{unknown[0]}: {fix}')


def _base_arguments(kind: type, base: str) -> List[str]:
    """The arguments ``kind`` takes through its constructors' chain up to
    its base class named ``base``, whose ``**kwargs`` pass them on."""
    takes: List[str] = []
    for cls in kind.__mro__:
        if '__init__' in vars(cls):
            takes += [name for name in config_arguments(
                cls.__init__, {'self'}, keywords=False) if name not in takes]
        if cls.__name__ == base:
            break
    return takes


def _closest_registered(kind: str, registry: str, scope: str) -> str:
    """:func:`closest_hint` over every name registered in the root registry
    called ``registry`` (mmengine's or mmrecast's own) and in its children:
    bare for the searched ``scope`` and the root, ``'scope.Name'`` for
    another scope."""
    from mmengine import registry as engine

    from mmrecast import registry as ours
    from .config_check.lookup import closest_hint
    names = {}
    for root in (r for module in (engine, ours) for r in vars(module).values()
                 if isinstance(r, engine.Registry) and r.name == registry
                 and r.parent is None):
        nodes = [root, root.children.get(scope)]
        nodes += [c for s, c in root.children.items() if s != scope]
        for node in filter(None, nodes):
            bare = node in (root, root.children.get(scope))
            for key in node.module_dict:
                names.setdefault(key, key if bare else f'{node.scope}.{key}')
    return closest_hint(kind, names, names)


def _unexpected_argument(name: str,
                         arg: str,
                         hook: Optional[str],
                         takes: Optional[List[str]] = None) -> str:
    """One line for ``type=name`` given ``arg``, naming what it takes
    (``takes``, else the arguments of the class registered as ``name``)."""
    from mmrecast import registry
    message = f"type={name!r}{f' (built by {hook})' if hook else ''}: " \
        f'takes no argument {arg!r}'
    for attr in registry.__all__ if not takes else ():
        found = getattr(registry, attr).get(name)
        if inspect.isclass(found):
            takes = config_arguments(
                found.__init__, RUNNER_GIVES if attr == 'LOOPS' else {'self'})
            break
    message += ('; fix or remove it in the config entry of that type (or '
                '--cfg-options)')
    return message + (f'; {argument_hint(arg, takes)}' if takes else '')


def explain(error: BaseException) -> Optional[str]:
    """The one-line message of a user error, or None for anything else
    (a bug, whose traceback is worth seeing)."""
    if isinstance(error, ConfigError):
        return str(error)
    from .checkpoint import UnsafeCheckpointError
    if isinstance(error, UnsafeCheckpointError):
        return str(error)
    if isinstance(error, FileNotFoundError) and error.filename:
        return _missing_file(str(error.filename))
    if isinstance(error, IsADirectoryError) and error.filename:
        return f'{error.filename}: a folder where a file is needed; check ' \
            'the path'
    if isinstance(error, SyntaxError) and error.filename:
        return syntax_error_line(error)
    text = str(error.args[0]) if error.args else ''
    # the last match: a worker's report also quotes the source line
    image = [p for p in _BAD_IMAGE.findall(text) if '{' not in p]
    if isinstance(error, AssertionError) and image:
        return (f'{image[-1]}: cannot be read as an image; run '
                'tools/misc/verify_dataset.py CONFIG to list every '
                'unreadable image of the data set')
    folders = _CLASS_FOLDERS.search(text)
    if isinstance(error, AssertionError) and folders:
        frame = _raising_frame(error)
        owner = frame.f_locals.get('self') if frame else None
        where = getattr(owner, 'img_prefix', None) or 'the data folder'
        return (f'{where}: {folders[1]} class subfolders, where the data '
                f'set has {folders[2]} classes; set data_root and '
                'data_prefix to the folder that holds one subfolder per '
                'class')
    download = isinstance(error, (OSError, RuntimeError)) \
        and _failed_download(error)
    if download:
        return download
    if isinstance(error, ValueError) and _EVALUATOR_FIELDS in text:
        return text  # mmpretrain's own line names the fields to fix
    timeout = _DIST_TIMEOUT.search(text)
    if isinstance(error, RuntimeError) and timeout:
        ms = int(timeout.group(1) or timeout.group(2))
        return (f'env_cfg.dist_cfg.timeout: another process of the job did '
                f'not answer for {ms / 1000:g} s (hung, died or far slower); '
                "see the other ranks' output, or raise the timeout if such "
                'a wait is expected')
    killed = _WORKER_KILLED.search(text.strip())
    if isinstance(error, RuntimeError) and killed and killed['signal'] in (
            None, 'Killed', 'Bus error'):  # others are bugs: a traceback
        return _killed_worker(killed['signal'])
    found = _UNEXPECTED_ARGUMENT.search(text)
    if isinstance(error, TypeError) and found and _built_from_config(error):
        return _unexpected_argument(found['type'], found['arg'],
                                    found['hook'])
    built = isinstance(error, TypeError) and found and \
        _built_through_constructors(error)
    if built:
        return _unexpected_argument(built.__name__, found['arg'], None,
                                    _base_arguments(built, found['type']))
    found = _REGISTRY_MISS.match(text)
    if isinstance(error, KeyError) and found:
        kind, registry, scope = found['type'], found['registry'], \
            found['scope']
        return (f'type={kind!r}: not a registered {registry} in scope '
                f'{scope!r}; {_closest_registered(kind, registry, scope)}'
                'check the spelling, the _scope_ of its config and '
                'custom_imports')
    beyond = _LABEL_BEYOND.match(text)
    if isinstance(error, IndexError) and beyond:
        return _label_beyond_head(error, beyond[1])
    channels = _CONV_CHANNELS.search(text)
    first_conv = isinstance(error, RuntimeError) and channels and \
        _first_conv_channels(error, channels[1], channels[2])
    if first_conv:
        return first_conv
    width = _HEAD_WIDTH.search(text)
    if isinstance(error, RuntimeError) and width and any(
            '/mmpretrain/models/heads/' in f.filename.replace('\\', '/')
            for f in traceback.extract_tb(error.__traceback__)):
        return (f'head in_channels={width[3]}: the features reaching the '
                f'head have {width[2]} channels; set in_channels={width[2]} '
                'in model.head (model.student.head or model.teacher.head in '
                'a distill config)')
    refusing = isinstance(
        error, (ValueError, KeyError, AssertionError, TypeError)) \
        and error.__traceback__ and _refusing_class(error)
    if refusing:
        # a bare assert says nothing, a TypeError not which value (an int
        # for a list): the line that failed on it does
        line = _raising_line(error)
        why = (f'{text} (at `{line}`)' if isinstance(error, TypeError) else
               text or f'it refused its arguments (`{line}` failed)')
        return (f'{refusing}: {why}; fix that value in its config entry '
                '(or --cfg-options)')
    if isinstance(error, ValueError) and 'should be either all None or ' \
            'not None' in text:
        fields = text.split(' should be')[0]
        return (f'{fields}: give all of them (to train) or none (to only '
                'test); a test-only config needs no training fields')
    return None


def syntax_error_line(error: SyntaxError, config: str = '') -> str:
    """A syntax error in one line, by file and line: the ``config`` file's,
    one of its ``_base_`` files', or a module its ``custom_imports``
    name."""
    where = error.filename
    if where in (None, '<unknown>'):  # mmengine parses text, not a file
        frame = _frame_in(error, '_file2dict', 'mmengine/config/config.py')
        where = frame.f_locals.get('filename') if frame else None
        where = where or config
    whose = "the config's" if where == config else "that file's"
    return f'{where}:{error.lineno}: {error.msg}; fix {whose} Python syntax'


def _rank_zero() -> bool:
    """Whether this process is rank 0 of its job (or not distributed):
    rank 0 speaks for the job."""
    return os.environ.get('RANK', '0') == '0'


def print_warning(line: str) -> None:
    """Print ``warning: <line>`` on stderr, once per job (rank 0)."""
    if _rank_zero():
        print(f'warning: {line}', file=sys.stderr, flush=True)


def _print_once(line: str) -> None:
    if not _rank_zero():
        return
    path = os.environ.get(ERROR_FILE_ENV)
    if not path:
        print(line, file=sys.stderr)
        return
    with open(path, 'w') as f:  # tools/dist_launch.sh prints it last
        f.write(line + '\n')


class _Terminated(BaseException):
    """SIGTERM in a lone tool process, raised where it runs, as Python
    raises KeyboardInterrupt for SIGINT."""


def _raise_terminated(signum, frame) -> None:
    # a SIGTERM to the process group ends the data loader workers too:
    # torch's SIGCHLD handler would report them failed while this unwinds
    # (a Python handler, not SIG_DFL, for a SIGCHLD already pending)
    signal.signal(signal.SIGCHLD, _pass)
    raise _Terminated()


def _pass(signum, frame) -> None:
    """A signal handler that does nothing."""


def _lone_process() -> bool:
    """Whether no launcher (torchrun, srun, mpirun) started this process:
    a launcher reports a stopped job itself, and a rank waiting in a
    collective must die at once, as SIGTERM's default action has it."""
    return not any(key in os.environ
                   for key in ('RANK', 'SLURM_PROCID', 'OMPI_COMM_WORLD_RANK'))


def run_tool_main(main: Callable[[], None], resumable: bool = False) -> None:
    """Run a tool's ``main`` under the error contract.

    A user error (:func:`explain`) ends it with one line on stderr and
    exit status 2; ``--debug`` on the command line or ``MMRECAST_DEBUG=1``
    re-raises it with its traceback. Other exceptions propagate. Ctrl-C
    is one line too (exit status 130, as a shell reports SIGINT), and so
    is SIGTERM to a process that no launcher started (143); for a
    ``resumable`` tool the line says how to go on.
    """
    debug = '--debug' in sys.argv or os.environ.get(DEBUG_ENV) == '1'
    resume = '; add --resume to go on from its last checkpoint' \
        if resumable else ''
    catch_term = _lone_process() and threading.current_thread() is \
        threading.main_thread() and \
        signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    if catch_term:
        signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        main()
    except KeyboardInterrupt:
        if debug:
            raise
        _print_once(f'error: interrupted (SIGINT, as by Ctrl-C){resume}')
        sys.exit(130)
    except _Terminated:
        if debug:
            raise
        _print_once(f'error: stopped (SIGTERM) from outside{resume}')
        sys.exit(143)
    except Exception as error:  # noqa: B902 (sorted out by explain)
        message = explain(error)
        if message is None or debug:
            raise
        _print_once(f'error: {message}')
        sys.exit(2)
    finally:
        if catch_term:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
