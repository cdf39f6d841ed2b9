# Copyright (c) mmrecast contributors. All rights reserved.
"""mmrecast's whole job in one command, on real MNIST, on CPU.

Chains ordinary configs (``configs/demo/``) and tool calls, each printed
before it runs so that it can be repeated by hand:

1. train a ResNet-14 teacher                    (tools/dist_train.sh)
2. recast it block by block into a ConvNet-14   (BlockRecast, RecastLoop)
3. pre-train the Factor Transfer paraphraser    (ConnectorPretrain)
4. distill: the recast student with FT + CE     (RecastFinetune)
5. export the student (mmpretrain config + weights-only checkpoint)
6. evaluate teacher and student                 (tools/dist_test.sh)
7. the student to ONNX, parity checked          (deployment/pytorch2onnx.py)
8. the ONNX student evaluated in onnxruntime    (deployment/test_onnx.py)
9. report: tools/analysis/compare_models.py -> report.md + report.png
   (torch and onnxruntime latency, accuracy in both)

Interrupted, it resumes: finished stages are skipped (marker ``.done`` in
their folder), an interrupted training stage continues from its last
checkpoint (``--resume``). ``--quick`` runs every stage with about a third
of the iterations (what the test suite runs, with ``--nproc 1``; lower
accuracy).

Example:
    python tools/demo/run_mnist_demo.py --work-dir work_dirs/demo --nproc 2
"""
import argparse
import os
import os.path as osp
import shlex
import subprocess
import sys
import time

from mmrecast.utils.cli import folder, positive_int, tool_description
from mmrecast.utils.errors import run_tool_main
from mmrecast.utils.weights import checkpoint_file

CFG = 'configs/demo/'
TEACHER = CFG + 'demo_resnet14_1xb128_mnist.py'
RECAST = CFG + 'demo_recast_resnet14_convnet14_1xb64_mnist.py'
FT_PRETRAIN = CFG + 'demo_ft-pretrain_resnet14_1xb128_mnist.py'
FT_TRAIN = CFG + 'demo_ft-train_resnet14_convnet14_1xb128_mnist.py'
NO_VAL = ['val_dataloader=None', 'val_cfg=None', 'val_evaluator=None']
# --quick: the same stages with fewer iterations (schedules scaled alike)
# and no validation during training (the test stages evaluate both models)
QUICK = {
    'teacher': [
        'train_cfg.max_iters=100', *NO_VAL, 'param_scheduler.T_max=100',
        'default_hooks.checkpoint.interval=50'
    ],
    'recast': [
        'train_cfg.iters_per_stage=35', 'param_scheduler.step_size=25',
        'train_cfg.val_each_stage=False',
        'default_hooks.checkpoint.interval=35'
    ],
    'ft-pretrain': [
        'train_cfg.max_iters=100', 'param_scheduler.T_max=100',
        'default_hooks.checkpoint.interval=50'
    ],
    'ft-train': [
        'train_cfg.max_iters=140', *NO_VAL,
        'param_scheduler.T_max=140', 'default_hooks.checkpoint.interval=70'
    ],
}


def latest(work_dir: str) -> str:
    """The latest checkpoint of a stage's work dir."""
    return checkpoint_file(work_dir, work_dir)


def stages(w: str, nproc: int) -> list:
    """(name, command) of every stage; commands are built lazily because
    some name checkpoints that earlier stages write."""
    n = str(nproc)
    teacher_opt = f'model.teacher_checkpoint={w}/teacher'
    return [
        ('teacher', lambda: ['bash', 'tools/dist_train.sh', TEACHER, n]),
        ('recast',
         lambda: ['bash', 'tools/dist_train.sh', RECAST, n,
                  '--cfg-options', teacher_opt]),
        ('ft-pretrain',
         lambda: ['bash', 'tools/dist_train.sh', FT_PRETRAIN, n,
                  '--cfg-options', teacher_opt]),
        ('ft-train',
         lambda: ['bash', 'tools/dist_train.sh', FT_TRAIN, n,
                  '--cfg-options', teacher_opt,
                  f'model.init_from.0.checkpoint={w}/recast',
                  f'model.init_from.1.checkpoint={w}/ft-pretrain']),
        ('export',
         lambda: [sys.executable, 'tools/export_student.py', FT_TRAIN,
                  latest(f'{w}/ft-train'), f'{w}/export']),
        ('test-teacher',
         lambda: ['bash', 'tools/dist_test.sh', TEACHER,
                  latest(f'{w}/teacher'), n, '--out',
                  f'{w}/test-teacher/metrics.json', '--out-item', 'metrics']),
        ('test-student',
         lambda: ['bash', 'tools/dist_test.sh', f'{w}/export/student.py',
                  f'{w}/export/student.pth', n, '--out',
                  f'{w}/test-student/metrics.json', '--out-item',
                  'metrics']),
        ('onnx',
         lambda: [sys.executable, 'tools/deployment/pytorch2onnx.py',
                  f'{w}/export/student.py', f'{w}/export/student.pth',
                  '--output-file', f'{w}/onnx/student.onnx', '--verify']),
        ('test-onnx',
         lambda: [sys.executable, 'tools/deployment/test_onnx.py',
                  f'{w}/export/student.py', f'{w}/onnx/student.onnx',
                  '--out', f'{w}/test-onnx/metrics.json']),
        ('report',
         lambda: [sys.executable, 'tools/analysis/compare_models.py',
                  TEACHER, latest(f'{w}/teacher'), f'{w}/export/student.py',
                  f'{w}/export/student.pth', '--names', 'teacher',
                  'student', '--out-dir', f'{w}/report', '--runtime',
                  'torch', 'onnxruntime']),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=tool_description(__doc__))
    parser.add_argument('--work-dir', type=folder, default='work_dirs/demo')
    parser.add_argument(
        '--nproc', type=positive_int, default=2,
        help='processes per training/test stage (GPUs, or CPU workers)')
    parser.add_argument(
        '--quick', action='store_true',
        help='about a third of the iterations in every training stage')
    parser.add_argument(
        '--debug', action='store_true',
        help='show the traceback of an error (also MMRECAST_DEBUG=1)')
    args = parser.parse_args()
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    os.chdir(root)  # configs and tools are addressed from the repo root
    w = args.work_dir
    env = dict(os.environ, PYTHON=sys.executable)
    start = time.time()
    todo = stages(w, args.nproc)
    for k, (name, command) in enumerate(todo, 1):
        stage_dir = osp.join(w, name)
        marker = osp.join(stage_dir, '.done')
        banner = f'[{k}/{len(todo)}] {name}'
        if osp.exists(marker):
            print(f'{banner}: done before, skipped', flush=True)
            continue
        cmd = command()
        if cmd[1] == 'tools/dist_train.sh':
            cmd += ['--work-dir', stage_dir]
            if args.quick:  # a second --cfg-options adds to the first
                cmd += ['--cfg-options', *QUICK[name]]
            if osp.exists(osp.join(stage_dir, 'last_checkpoint')):
                cmd.append('--resume')  # continue where it stopped
        elif cmd[1] in ('tools/dist_test.sh',
                        'tools/deployment/test_onnx.py'):
            cmd += ['--work-dir', stage_dir]
        if name in ('test-teacher', 'test-student', 'onnx', 'test-onnx',
                    'report'):
            cmd.append('--force')  # a stage run again rewrites its output
        print(f'\n{banner} ({time.time() - start:.0f} s): '
              f'{shlex.join(cmd)}', flush=True)
        os.makedirs(stage_dir, exist_ok=True)
        result = subprocess.run(cmd, env=env)
        if result.returncode != 0:
            sys.exit(f'{banner} failed (exit {result.returncode}); run the '
                     'demo again to resume from this stage')
        open(marker, 'w').close()
    print(f'\nmmrecast demo finished in {time.time() - start:.0f} s. '
          f'Report: {w}/report/report.md and report.png')
    with open(osp.join(w, 'report', 'report.md')) as f:
        print(f.read())


if __name__ == '__main__':
    run_tool_main(main)
