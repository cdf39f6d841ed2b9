# Copyright (c) mmrecast contributors. All rights reserved.
"""Run one method end to end within a wall-clock budget and print the
accuracy of its exported student.

A method is a list of training stages (configs), each given a share of the
time. Every stage first runs a short timed warm-up; the tool then sizes
each stage's iterations (and stretches its schedule) to fill its share of
the budget left when it starts (so time an earlier stage did not use goes
to the later ones), runs the stages with ``tools/dist_train.sh`` (each
starting from the previous one's weights; a stage that is not a recast
loop of several stages also gets ``--deadline``, so a machine that slows
down after the warm-up shortens it instead of overrunning; one whose
schedules the deadline can re-aim is sized ``--headroom`` times longer
and ended by its deadline, so a machine that speeds up after the warm-up
still fills the budget; its learning-rate warm-up keeps its share of the
iterations that fit), exports the student with
``tools/export_student.py`` and evaluates the export with
``tools/dist_test.sh``. The wall time covers all of it, warm-ups included.
The last line is ``<method> <budget_s> <wall_s> <top1>``; the commands that
ran are in WORK_DIR/commands.sh, the logs beside them, the numbers in
WORK_DIR/result.json, and all three condensed into WORK_DIR/summary.log
(the file to keep with a reported number).

Examples:
    python tools/benchmarks/recast_budget.py teacher-fed --budget 900
    python tools/benchmarks/recast_budget.py my-method --budget 300 \
        --stages configs/a_recast.py:0.2 configs/a_finetune.py:0.8
    # the same with the recast stage's learning rate halved
    python tools/benchmarks/recast_budget.py my-method-lr --budget 300 \
        --stages configs/a_recast.py:0.2 configs/a_finetune.py:0.8 \
        --stage-options 0 optim_wrapper.optimizer.lr=0.0005
"""
import argparse
import difflib
import json
import math
import os
import os.path as osp
import re
import shlex
import sys
import time
from typing import Dict, List, Optional, Sequence, Tuple

from mmrecast.utils.cli import (cfg_options_dict, folder, non_negative_float,
                                positive_float, positive_int, tool_description)
from mmrecast.utils.errors import ConfigError, run_tool_main

TOOLS = osp.dirname(osp.dirname(osp.abspath(__file__)))
_C20 = ('configs/recasting/recast_backbone_resnet20-akamaster_convnet20_'
        '1xb64_cifar10-folder')
#: Built-in methods (ResNet-20 -> ConvNet-20 on the CIFAR-10 folder):
#: stages as (config, share of the training time).
METHODS: Dict[str, List[Tuple[str, float]]] = {
    'ce-scratch':
    [('configs/convnet/convnet20_1xb128_cifar10-folder_scratch-budget.py',
      1.0)],
    'kd-scratch': [(f'{_C20}_kd-scratch.py', 1.0)],
    'kd-soft-scratch': [(f'{_C20}_kd-soft-scratch.py', 1.0)],
    'sequential': [(f'{_C20}_recast.py', 0.85), (f'{_C20}_finetune.py', 0.15)],
    'teacher-fed': [(f'{_C20}_recast-parallel.py', 1 / 6),
                    (f'{_C20}_finetune-parallel.py', 5 / 6)],
    # the fine-tune in bfloat16 autocast, for CPUs with bfloat16 units
    'teacher-fed-bf16': [(f'{_C20}_recast-parallel.py', 1 / 6),
                         (f'{_C20}_finetune-parallel_bf16.py', 5 / 6)],
    'kd-scratch-bf16': [(f'{_C20}_kd-scratch_bf16.py', 1.0)],
    # SGD after a warm-up: the 45-minute recipe (configs/recasting/README.md)
    'teacher-fed-sgd-warmup-bf16':
    [(f'{_C20}_recast-parallel.py', 1 / 6),
     (f'{_C20}_finetune-parallel_sgd-warmup_bf16.py', 5 / 6)],
    # the same with the teacher's logits cached (flips only): the 15-minute
    # recipe, and its KD-from-scratch control on the same pipeline
    'teacher-fed-sgd-warmup-bf16-cached':
    [(f'{_C20}_recast-parallel.py', 1 / 6),
     (f'{_C20}_finetune-parallel_sgd-warmup_bf16_cached-teacher.py', 5 / 6)],
    'kd-scratch-bf16-cached': [(f'{_C20}_kd-scratch_bf16_cached-teacher.py',
                                1.0)],
    # the same two with crops back, from five fixed shifts (10 views/image)
    'teacher-fed-sgd-warmup-bf16-cached-5shifts':
    [(f'{_C20}_recast-parallel.py', 1 / 6),
     (f'{_C20}_finetune-parallel_sgd-warmup_bf16_cached-teacher_5-shifts.py',
      5 / 6)],
    'kd-scratch-bf16-cached-5shifts':
    [(f'{_C20}_kd-scratch_bf16_cached-teacher_5-shifts.py', 1.0)],
    # the same student trained as RepVGG blocks (deployed: ConvNet-20)
    'teacher-fed-repvgg-sgd-warmup-bf16-cached':
    [(f'{_C20}_recast-parallel_repvgg.py', 1 / 6),
     (f'{_C20}_finetune-parallel_sgd-warmup_bf16_cached-teacher_repvgg.py',
      5 / 6)],
    'kd-scratch-repvgg-bf16-cached':
    [(f'{_C20}_kd-scratch_bf16_cached-teacher_repvgg.py', 1.0)],
    'chained': [(f'{_C20}_recast-chained.py', 1 / 6),
                (f'{_C20}_finetune-chained.py', 5 / 6)],
    'teacher-fed-blockwise': [(f'{_C20}_recast-parallel.py', 1 / 6),
                              (f'{_C20}_finetune-blockwise.py', 5 / 6)],
    'teacher-fed-blockwise-label-free':
    [(f'{_C20}_recast-parallel_label-free.py', 1 / 6),
     (f'{_C20}_finetune-blockwise_label-free.py', 5 / 6)],
}
#: Where a stage takes the previous stage's work dir (its last checkpoint);
#: its warm-up starts from scratch instead (``model.init_from=None``).
HANDOVER = 'model.init_from'
#: summary.log keeps a training line every ... iterations (and the first).
SUMMARY_EVERY = 500


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=tool_description(__doc__))
    parser.add_argument(
        'method', help=f'a built-in method ({", ".join(METHODS)}) or the '
        'name of the --stages given')
    parser.add_argument(
        '--budget', type=positive_float, required=True,
        help='wall-clock budget in seconds, everything included')
    parser.add_argument(
        '--stages', nargs='+', metavar='CONFIG:SHARE',
        help='the stages of a method of your own, in order')
    parser.add_argument('--work-dir', type=folder, help='default: '
                        'work_dirs/recast_budget/<method>_<budget>')
    parser.add_argument(
        '--nproc', type=positive_int, default=1,
        help='processes per stage (1)')
    parser.add_argument(
        '--warmup-iters', type=positive_int, default=40,
        help='iterations of each warm-up (per recast stage)')
    parser.add_argument(
        '--headroom', type=positive_float, default=2,
        help='a stage that its deadline ends (an iteration loop with cosine '
        'schedules) is sized for this many times the iterations its '
        'warm-up predicts (2: a stage caching its teacher\'s logits runs '
        'up to twice as fast once they are cached); 1 sizes it by the '
        'warm-up alone')
    parser.add_argument(
        '--reserve', type=non_negative_float, default=20,
        help='seconds kept for export and evaluation (20)')
    parser.add_argument(
        '--cfg-options', nargs='+', default=[], metavar='KEY=VALUE',
        help='override settings of every stage (as in tools/train.py), '
        'e.g. train_dataloader.dataset.data_root=...')
    parser.add_argument(
        '--stage-options', nargs='+', action='append', default=[],
        metavar=('STAGE', 'KEY=VALUE'),
        help='override settings of one stage: its number (0 is the first), '
        'then KEY=VALUE pairs, applied after --cfg-options; repeat it for '
        'other stages, e.g. --stage-options 0 param_scheduler.gamma=0.5')
    parser.add_argument(
        '--debug', action='store_true',
        help='show the traceback of an error (also MMRECAST_DEBUG=1)')
    return parser.parse_args()


def method_stages(args: argparse.Namespace) -> List[Tuple[str, float]]:
    """The stages of ``args.method`` (built in, or from ``--stages``)."""
    if not args.stages:
        if args.method not in METHODS:
            close = difflib.get_close_matches(args.method, METHODS, n=1)
            hint = f'did you mean {close[0]!r}, or ' if close else ''
            raise ConfigError(f'method {args.method!r}: not built in '
                              f'({", ".join(METHODS)}); {hint}give --stages')
        return METHODS[args.method]
    stages = []
    for item in args.stages:
        path, _, share = item.rpartition(':')
        try:
            stages.append((path, float(share)))
        except ValueError:
            raise ConfigError(f'--stages {item}: expected CONFIG:SHARE, '
                              'e.g. configs/x_finetune.py:0.8') from None
    return stages


def stage_words(args: argparse.Namespace, count: int) -> List[List[str]]:
    """Each stage's ``--cfg-options`` words: ``--cfg-options``, then its
    own ``--stage-options``."""
    words = [list(args.cfg_options) for _ in range(count)]
    for index, *pairs in args.stage_options:
        if not index.isdigit() or int(index) >= count or not pairs:
            raise ConfigError(
                f'--stage-options {index}: give a stage number from 0 to '
                f'{count - 1} (the stages in order), then KEY=VALUE pairs')
        words[int(index)] += pairs
    return words


def options_args(options: Dict[str, object],
                 user: Sequence[str] = ()) -> List[str]:
    """``--cfg-options`` arguments: the user's words, then ``options``
    (which win where both set a key)."""
    words = list(user)
    for key, value in options.items():
        value = '[' + ','.join(map(str, value)) + ']' if isinstance(
            value, list) else value
        words.append(f'{key}={value}')
    return ['--cfg-options', *words] if words else []


class Tools:
    """Runs the tools as subprocesses, logging each command and its output
    under the work dir."""

    def __init__(self, work_dir: str, nproc: int):
        self.work_dir = work_dir
        self.nproc = nproc
        self.names: List[str] = []  # of the runs, in order

    def write_summary(self) -> None:
        """result.json, commands.sh and every log condensed, in one file."""
        from mmrecast.analysis.budget import condense_log

        def read(name: str) -> str:
            with open(osp.join(self.work_dir, name)) as file:
                return file.read().rstrip('\n')

        parts = [f'# {osp.relpath(__file__, osp.dirname(TOOLS))} run: '
                 f'{osp.basename(osp.normpath(self.work_dir))}',
                 '## result.json', read('result.json'),
                 '## commands.sh (run in this order)', read('commands.sh')]
        for name in self.names:
            parts.append(f'## {name}.log (launch line, training lines every '
                         f'{SUMMARY_EVERY} iterations, result lines)')
            parts.extend(condense_log(read(f'{name}.log'), SUMMARY_EVERY))
        with open(osp.join(self.work_dir, 'summary.log'), 'w') as file:
            file.write('\n'.join(parts) + '\n')

    def run(self, name: str, argv: Sequence[str]) -> str:
        """Run ``argv``; return its output, or stop with its log named."""
        from mmrecast.analysis.logged_run import run_logged
        with open(osp.join(self.work_dir, 'commands.sh'), 'a') as file:
            file.write(shlex.join(argv) + '\n')
        self.names.append(name)
        seconds, text = run_logged(
            name, argv, osp.join(self.work_dir, f'{name}.log'))
        print(f'{name}: {seconds:.0f} s', flush=True)
        return text

    def train(self,
              name: str,
              config: str,
              options: dict,
              user: Sequence[str],
              deadline: Optional[float] = None) -> str:
        work = osp.join(self.work_dir, name)
        limit = [] if deadline is None else ['--deadline', f'{deadline:.0f}']
        argv = ['bash', osp.join(TOOLS, 'dist_train.sh'), config,
                str(self.nproc), '--work-dir', work, '--no-validate',
                *limit, *options_args(options, user)]
        self.run(name, argv)
        return work


def main() -> None:
    args = parse_args()
    from mmrecast.analysis.budget import (ends_by_deadline, is_recast_loop,
                                          iterations_for, read_warmup,
                                          stage_seconds, stretch_options,
                                          warmup_options)
    from mmrecast.apis.export import student_model_config
    from mmrecast.utils.cli import load_config
    from mmrecast.utils.config_check import check_run_config

    start = time.perf_counter()
    stages = method_stages(args)
    if args.headroom < 1:
        raise ConfigError(f'--headroom {args.headroom:g}: give 1 or more '
                          '(1 sizes every stage by its warm-up alone)')
    work_dir = args.work_dir or osp.join(
        'work_dirs', 'recast_budget', f'{args.method}_{args.budget:g}')
    if osp.exists(osp.join(work_dir, 'result.json')):
        raise ConfigError(f'{work_dir}: holds a finished run; choose '
                          'another --work-dir')
    words = stage_words(args, len(stages))
    configs = [load_config(path, cfg_options_dict(user))
               for (path, _), user in zip(stages, words)]
    for i, ((path, _), cfg) in enumerate(zip(stages, configs)):
        try:  # a misspelt field or path fails now, not in a warm-up
            check_run_config(cfg, init_from=i == 0)  # later: handed over
        except ConfigError as error:  # --cfg-options reach every stage
            raise ConfigError(f'{path}: {error}') from None
    os.makedirs(work_dir, exist_ok=True)
    tools = Tools(work_dir, args.nproc)

    # 1. warm-ups: seconds per iteration and fixed overhead of each stage
    timings = []
    for i, ((path, _), cfg) in enumerate(zip(stages, configs)):
        options = warmup_options(cfg, args.warmup_iters, log_interval=10)
        if i > 0:
            options[HANDOVER] = None
        began = time.perf_counter()
        work = tools.train(f'warmup{i}', path, options, words[i])
        wall = time.perf_counter() - began
        per_iter, done = read_warmup(work)
        timings.append((per_iter, wall - per_iter * done,
                        done // args.warmup_iters))

    # 2. the stages, each sized just before it runs to the time then left
    shares = [share for _, share in stages]
    previous = None
    for i, (path, cfg, (per_iter, overhead, n_stages)) in enumerate(
            zip((p for p, _ in stages), configs, timings)):
        left = args.budget - (time.perf_counter() - start) - args.reserve
        seconds = stage_seconds(left, shares, i)
        staged = is_recast_loop(cfg)
        fits = iterations_for(seconds, per_iter, overhead,
                              n_stages if staged else 1)
        # the warm-up may have run slower than the stage will: size long
        # what the deadline can end early with its schedule intact, its
        # warm-ups sized for the iterations that fit
        long = ends_by_deadline(cfg)
        iters = math.ceil(fits * args.headroom) if long else fits
        options = stretch_options(cfg, iters, planned=fits if long else None)
        if previous is not None:
            options[HANDOVER + '.0.checkpoint'] = previous
        sizing = (f'; {fits} fit at that pace, the deadline ends it'
                  if iters > fits else '')
        print(f'stage{i}: {path} {iters} iterations'
              f'{" per stage" if staged else ""} '
              f'({per_iter:.3f} s each, {overhead:.0f} s overhead{sizing})',
              flush=True)
        # a stage the machine slows down ends by its share all the same
        # (DeadlineHook), unless its loop has several stages of one length
        previous = tools.train(f'stage{i}', path, options, words[i],
                               seconds if n_stages == 1 else None)

    # 3. export the student and evaluate the export
    final_config = stages[-1][0]  # trained with the loop's last options
    user = words[-1]
    with open(osp.join(previous, 'last_checkpoint')) as file:
        checkpoint = file.read().strip()
    try:  # a distill or recast run exports its student
        student_model_config(configs[-1].model)
    except ConfigError:  # a plain classifier is its own export
        model_config, weights = final_config, checkpoint
    else:
        export = osp.join(work_dir, 'export')
        tools.run('export', [
            sys.executable, osp.join(TOOLS, 'export_student.py'),
            final_config, checkpoint, export,
            *options_args(options, user)])
        model_config = osp.join(export, 'student.py')
        weights = osp.join(export, 'student.pth')
        user = []  # the exported config holds them
    text = tools.run('test', [
        'bash', osp.join(TOOLS, 'dist_test.sh'), model_config, weights,
        str(args.nproc), '--work-dir', osp.join(work_dir, 'test'),
        *options_args({}, user)])
    found = re.findall(r'accuracy/top1: ([0-9.]+)', text)
    if not found:
        raise ConfigError(f'{work_dir}/test.log: no accuracy/top1 line')
    wall = time.perf_counter() - start
    result = dict(method=args.method, budget_s=args.budget,
                  wall_s=round(wall, 1), top1=float(found[-1]),
                  stages=[dict(config=p, share=s) for p, s in stages])
    with open(osp.join(work_dir, 'result.json'), 'w') as file:
        json.dump(result, file, indent=1)
    tools.write_summary()
    if wall > 1.05 * args.budget:
        print(f'warning: {wall:.0f} s for a budget of {args.budget:g} s: the '
              'machine ran slower than during the warm-ups (busy?)',
              flush=True)
    print('method budget_s wall_s top1')
    print(f'{args.method} {args.budget:g} {wall:.0f} {found[-1]}')


if __name__ == '__main__':
    run_tool_main(main)
