# Copyright (c) mmrecast contributors. All rights reserved.
"""Time one training iteration of the Factor Transfer stages against plain
student training, on CPU, through the same ``train_step`` the runner calls.

Pair: mmpretrain ResNet_CIFAR-50 (teacher) -> ResNet_CIFAR-18 (student),
batch 16, features of the last stage (2048 / 512 channels, 4 x 4), the
paraphraser 2048 -> 1024 and translator 512 -> 1024 (BN), as in the seed.
Each mode runs in its own process (peak memory = that process's max RSS);
the processes take turns, one iteration each per round, and the ratios are
medians of the per-round ratios.

Prints the median seconds per iteration of (a) student-only training,
(b) FT distillation, (c) connector pre-training, the ratios b/a and c/a,
and peak memory (on a GPU, also the peak of torch's CUDA allocator).
Targets: b/a <= 2.8, c/a <= 5.0. ``--amp`` trains all three in mixed
precision (mmengine's ``AmpOptimWrapper``), as ``tools/train.py --amp``.

Example:
    python tools/benchmarks/distill_step.py --threads 2 --iters 10
    python tools/benchmarks/distill_step.py --device cuda --amp --iters 50
"""
import argparse
import multiprocessing as mp
import resource
import statistics

from mmrecast.utils.errors import run_tool_main

CLASSIFIER = dict(
    type='ImageClassifier',
    _scope_='mmpretrain',
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        loss=dict(type='CrossEntropyLoss')))
PREPROCESSOR = dict(
    type='mmpretrain.ClsDataPreprocessor',
    num_classes=10,
    mean=[125.307, 122.961, 113.8575],
    std=[51.5865, 50.847, 51.255])


def _classifier(depth: int, channels: int) -> dict:
    return dict(
        CLASSIFIER,
        backbone=dict(type='ResNet_CIFAR', depth=depth),
        head=dict(CLASSIFIER['head'], in_channels=channels))


def build(mode: str):
    """The model the runner would train in ``mode``."""
    from mmrecast.registry import MODELS
    teacher = _classifier(50, 2048)
    if mode == 'student':
        return MODELS.build(
            dict(_classifier(18, 512), data_preprocessor=PREPROCESSOR))
    if mode == 'pretrain':
        return MODELS.build(
            dict(
                type='ConnectorPretrain',
                teacher=teacher,
                teacher_recorders=dict(feat='backbone.layer4'),
                connectors=dict(
                    paraphraser=dict(type='Paraphraser', in_channels=2048)),
                losses=dict(
                    loss_rec=dict(
                        type='ReconstructionLoss',
                        connector='paraphraser',
                        record='feat')),
                data_preprocessor=PREPROCESSOR))
    return MODELS.build(
        dict(
            type='SingleTeacherDistill',
            student=_classifier(18, 512),
            teacher=teacher,
            teacher_recorders=dict(feat='backbone.layer4'),
            student_recorders=dict(feat='backbone.layer4'),
            connectors=dict(
                paraphraser=dict(
                    type='Paraphraser', in_channels=2048, phase='train'),
                translator=dict(
                    type='Translator', in_channels=512, out_channels=1024)),
            distill_losses=dict(
                loss_ft=dict(
                    type='FTLoss',
                    student=dict(record='feat', connector='translator'),
                    teacher=dict(record='feat', connector='paraphraser'))),
            data_preprocessor=PREPROCESSOR))


def worker(conn, mode: str, args: argparse.Namespace) -> None:
    """Build ``mode``'s model in this process, then time one training
    iteration per ``'step'`` request; ``'stop'`` answers with the peak RSS
    and the peak of torch's CUDA allocator (MB; 0 on the CPU).
    """
    import torch
    from mmengine.optim import build_optim_wrapper
    from mmpretrain.structures import DataSample

    from mmrecast.analysis import setup_benchmark, time_call
    from mmrecast.apis import register_all_modules
    setup_benchmark(args.threads)
    register_all_modules()
    model = build(mode)
    model.init_weights()
    model.to(args.device).train()
    wrapper = build_optim_wrapper(
        model,
        dict(
            type='AmpOptimWrapper' if args.amp else 'OptimWrapper',
            optimizer=dict(
                type='SGD',
                lr=0.01,
                momentum=0.9,
                weight_decay=1e-4,
                fused=True)))
    # a batch as the configs' ``default_collate`` delivers it
    data = dict(
        inputs=torch.randint(
            0, 256, (args.batch, 3, 32, 32), dtype=torch.uint8),
        data_samples=[
            DataSample().set_gt_label(i % 10) for i in range(args.batch)
        ])
    conn.send('ready')
    while conn.recv() == 'step':
        conn.send(time_call(lambda: model.train_step(data, wrapper)))
    gpu = torch.cuda.max_memory_allocated() / 2**20 \
        if torch.cuda.is_initialized() else 0.0
    conn.send((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
               gpu))


def main() -> None:
    from mmrecast.analysis import benchmark_parser, check_device
    from mmrecast.utils.cli import natural_int, positive_int
    parser = benchmark_parser(__doc__, batch=16, device=True)
    parser.add_argument('--iters', type=positive_int, default=10,
                        help='interleaved rounds timed (10)')
    parser.add_argument('--warmup', type=natural_int, default=3,
                        help='untimed rounds first (3)')
    parser.add_argument('--amp', action='store_true',
                        help='mixed precision (AmpOptimWrapper; CUDA)')
    args = parser.parse_args()
    check_device(parser, args.device)
    if args.amp and not args.device.startswith('cuda'):
        parser.error('--amp needs --device cuda (mixed precision here is '
                     "mmengine's AmpOptimWrapper, which runs on CUDA)")
    ctx = mp.get_context('spawn')
    modes = ('student', 'distill', 'pretrain')
    conns, procs = {}, []
    for mode in modes:
        parent, child = ctx.Pipe()
        proc = ctx.Process(
            target=worker, args=(child, mode, args))
        proc.start()
        conns[mode] = parent
        procs.append(proc)
    for conn in conns.values():
        conn.recv()
    # one iteration of each mode per round, the others idle meanwhile, so
    # that drift of a shared machine hits all modes alike
    rounds = []
    for i in range(args.warmup + args.iters):
        times = {}
        for mode, conn in conns.items():
            conn.send('step')
            times[mode] = conn.recv()
        if i >= args.warmup:
            rounds.append(times)
    peaks = {}
    for mode, conn in conns.items():
        conn.send('stop')
        peaks[mode] = conn.recv()
    for proc in procs:
        proc.join()

    def median(key) -> float:
        return statistics.median(key(r) for r in rounds)

    labels = dict(
        student='(a) student only', distill='(b) FT distill',
        pretrain='(c) connector pretrain')
    where = f'CPU, {args.threads} threads' if args.device == 'cpu' else \
        args.device
    print(f'ResNet-50 -> ResNet-18 (mmpretrain ResNet_CIFAR), batch '
          f'{args.batch}, {where}{", AMP" if args.amp else ""}, median of '
          f'{args.iters} interleaved rounds')
    print(f'{"mode":<26}{"s/iter":>10}{"x (a)":>8}{"peak RSS MB":>14}'
          f'{"peak CUDA MB":>14}')
    for mode, label in labels.items():
        ratio = median(lambda r: r[mode] / r['student'])
        rss, gpu = peaks[mode]
        print(f'{label:<26}{median(lambda r: r[mode]):>10.4f}{ratio:>8.2f}'
              f'{rss:>14.0f}{gpu:>14.0f}')
    b = median(lambda r: r['distill'] / r['student'])
    c = median(lambda r: r['pretrain'] / r['student'])
    print(f'b/a = {b:.2f} (target <= 2.8): {"met" if b <= 2.8 else "MISSED"}')
    print(f'c/a = {c:.2f} (target <= 5.0): {"met" if c <= 5.0 else "MISSED"}')


if __name__ == '__main__':
    run_tool_main(main)
