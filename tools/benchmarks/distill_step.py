# Copyright (c) mmrecast contributors. All rights reserved.
"""Time one training iteration of the Factor Transfer stages against plain
student training, on CPU, through the same ``train_step`` the runner calls.

Pair: mmpretrain ResNet_CIFAR-50 (teacher) -> ResNet_CIFAR-18 (student),
batch 16, features of the last stage (2048 / 512 channels, 4 x 4), the
paraphraser 2048 -> 1024 and translator 512 -> 1024 (BN), as in the seed.
Each mode runs in its own process (peak memory = that process's max RSS).

Prints the median seconds per iteration of (a) student-only training,
(b) FT distillation, (c) connector pre-training, the ratios b/a and c/a,
and peak memory. Targets: b/a <= 2.8, c/a <= 5.0.

Example:
    python tools/benchmarks/distill_step.py --threads 2 --iters 10
"""
import argparse
import multiprocessing as mp
import resource
import statistics
import time

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


def run(mode: str, threads: int, iters: int, warmup: int,
        batch: int) -> dict:
    """Median seconds per training iteration and peak RSS of one mode."""
    import torch
    from mmengine.optim import build_optim_wrapper
    from mmpretrain.structures import DataSample

    import mmrecast  # noqa: F401
    from mmrecast.utils import register_all_modules
    register_all_modules()
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = build(mode)
    model.init_weights()
    model.train()
    wrapper = build_optim_wrapper(
        model,
        dict(
            optimizer=dict(
                type='SGD',
                lr=0.01,
                momentum=0.9,
                weight_decay=1e-4,
                fused=True)))
    data = dict(
        inputs=[
            torch.randint(0, 256, (3, 32, 32), dtype=torch.uint8)
            for _ in range(batch)
        ],
        data_samples=[DataSample().set_gt_label(i % 10) for i in range(batch)])
    times = []
    for i in range(warmup + iters):
        start = time.perf_counter()
        model.train_step(data, wrapper)
        if i >= warmup:
            times.append(time.perf_counter() - start)
    return dict(
        seconds=statistics.median(times),
        peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _child(queue, *args) -> None:
    queue.put(run(*args))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--iters', type=int, default=10)
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--batch', type=int, default=16)
    args = parser.parse_args()
    ctx = mp.get_context('spawn')
    results = {}
    for mode in ('student', 'distill', 'pretrain'):
        queue = ctx.Queue()
        proc = ctx.Process(
            target=_child,
            args=(queue, mode, args.threads, args.iters, args.warmup,
                  args.batch))
        proc.start()
        results[mode] = queue.get()
        proc.join()
    a = results['student']['seconds']
    labels = dict(
        student='(a) student only', distill='(b) FT distill',
        pretrain='(c) connector pretrain')
    print(f'ResNet-50 -> ResNet-18 (mmpretrain ResNet_CIFAR), batch '
          f'{args.batch}, CPU, {args.threads} threads, median of '
          f'{args.iters} iterations')
    print(f'{"mode":<26}{"s/iter":>10}{"x (a)":>8}{"peak RSS MB":>14}')
    for mode, label in labels.items():
        r = results[mode]
        print(f'{label:<26}{r["seconds"]:>10.3f}{r["seconds"] / a:>8.2f}'
              f'{r["peak_mb"]:>14.0f}')
    b = results['distill']['seconds'] / a
    c = results['pretrain']['seconds'] / a
    print(f'b/a = {b:.2f} (target <= 2.8): {"met" if b <= 2.8 else "MISSED"}')
    print(f'c/a = {c:.2f} (target <= 5.0): {"met" if c <= 5.0 else "MISSED"}')


if __name__ == '__main__':
    main()
