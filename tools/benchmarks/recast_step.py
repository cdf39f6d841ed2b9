# Copyright (c) mmrecast contributors. All rights reserved.
"""Is a recast step as cheap as it can be? For every step of ResNet-56 ->
ConvNet (CIFAR shapes, batch 64, CPU), time the real training step
(``BlockRecast.train_step``: preprocessing, both forwards, MSE, backward,
Adam) and its floor, measured separately in the same run: the teacher's
forward up to block i+1 without autograd (on the module the step runs it
on: its inference twin, BN folded and channels-last) plus the student's
forward and backward up to block i+1, each chained by hand from the
blocks. Prints the ratio per step; the target is <= 1.10 at every step.
On a GPU (``--device cuda``) both run with TF32 off, as ``RecastLoop``
trains.

Example:
    python tools/benchmarks/recast_step.py --threads 2 --reps 25
    python tools/benchmarks/recast_step.py --device cuda --reps 50
"""
import statistics

import torch
import torch.nn.functional as F

from mmrecast.analysis import benchmark_parser, check_device, setup_benchmark
from mmrecast.utils.errors import run_tool_main

TEACHER = dict(
    type='ImageClassifier',
    _scope_='mmpretrain',
    backbone=dict(type='mmrecast.CifarResNet', depth=56),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=10,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss')))
PLAN = dict(steps=[
    dict(blocks='backbone.layer*.*', recaster=dict(type='BasicBlockToConv'))
])


def prefix(model, x: torch.Tensor, upto: str) -> torch.Tensor:
    """Run ``model`` block by block until ``upto`` (a block path or
    ``'head.fc'``), by hand: the floor's forward."""
    backbone = model.backbone
    x = backbone.stem(x)
    for name in backbone.block_names():
        x = backbone.get_submodule(name)(x)
        if f'backbone.{name}' == upto:
            return x
    return model.head.fc(model.neck((x, ))[-1])


def main() -> None:
    parser = benchmark_parser(__doc__, reps=25, batch=64, device=True)
    args = parser.parse_args()
    check_device(parser, args.device)

    from mmengine.optim import build_optim_wrapper
    from mmpretrain.structures import DataSample

    from mmrecast.analysis import interleaved_times
    from mmrecast.apis import register_all_modules
    from mmrecast.registry import MODELS
    from mmrecast.utils import tf32_disabled
    setup_benchmark(args.threads)
    register_all_modules()

    algo = MODELS.build(
        dict(
            type='BlockRecast',
            teacher=TEACHER,
            plan=PLAN,
            data_preprocessor=dict(
                num_classes=10,
                mean=[125.307, 122.961, 113.8575],
                std=[51.5865, 50.847, 51.255])))
    algo.init_weights()
    algo.to(args.device)
    # a batch as the configs' ``default_collate`` delivers it
    data = dict(
        inputs=torch.randint(
            0, 256, (args.batch, 3, 32, 32), dtype=torch.uint8),
        data_samples=[DataSample().set_gt_label(0)] * args.batch)
    x = algo.data_preprocessor(data, True)['inputs']

    where = f'CPU, {args.threads} threads' if args.device == 'cpu' else \
        f'{args.device} ({torch.cuda.get_device_name()}), TF32 off'
    print(f'ResNet-56 -> ConvNet, batch {args.batch}, {where}, median of '
          f'{args.reps} interleaved rounds')
    print(f'{"step":>4}  {"block -> matched":<38}{"step s":>8}'
          f'{"floor s":>9}{"ratio":>7}')
    worst = 0.0
    with tf32_disabled():  # as RecastLoop trains
        for stage in range(algo.num_stages):
            algo.begin_stage(stage)
            algo.train()
            step = algo.stage_steps(stage)[0]
            wrapper = build_optim_wrapper(
                algo, dict(optimizer=dict(type='Adam', lr=1e-3, fused=True)))

            def real_step():
                algo.train_step(data, wrapper)

            runner = algo.teacher_runner()
            teacher = getattr(runner, 'twin', runner)

            def teacher_floor():
                with torch.no_grad():
                    return prefix(teacher, x, step.next).contiguous()

            target = teacher_floor()

            def student_floor():
                out = prefix(algo.student, x, step.next)
                F.mse_loss(out, target).backward()
                algo.student.zero_grad(set_to_none=True)

            rounds = interleaved_times(
                [real_step, teacher_floor, student_floor], args.reps)
            measured = statistics.median(r[0] for r in rounds)
            floor = statistics.median(r[1] + r[2] for r in rounds)
            # the ratio of each round, then their median: a slow spell of the
            # machine inflates a round's step and floor together
            ratio = statistics.median(r[0] / (r[1] + r[2]) for r in rounds)
            worst = max(worst, ratio)
            print(f'{stage + 1:>4}  {step.block + " -> " + step.next:<38}'
                  f'{measured:>8.4f}{floor:>9.4f}{ratio:>7.2f}')
    print(f'worst ratio {worst:.2f} (target <= 1.10): '
          f'{"met" if worst <= 1.10 else "MISSED"}')


if __name__ == '__main__':
    run_tool_main(main)
