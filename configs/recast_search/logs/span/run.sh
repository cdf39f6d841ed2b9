#!/usr/bin/env bash
# ResNet-20, 0.35x at batch 1 in onnxruntime: the searched plan of the
# factorized library (CRFCFRCCF: layer1.1 and layer2.2 removed) with the
# candidate before each removed block retrained across both blocks (the
# Python below), then the standard 5000-iteration fine-tune, twice, side by
# side on one thread each, each drawing its own seed; exported and tested.
# Needs the factorized library trained with its logged seed
# (../factorized/run.sh). Run alone on the machine, from the repository
# root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
W=work_dirs/span
LIB=configs/recast_search/recast-search_resnet20-akamaster_1xb64_cifar10-folder_library-factorized.py
source configs/recast_search/logs/finetune_test.sh
mkdir -p $W
# the searched plan as logged (not searched again)
[ -e "$W/search/plan_latency=0.35x/student.pth" ] || $PYTHON \
    tools/misc/write_plans.py $LIB --checkpoint \
    work_dirs/recast_search/library_factorized --search \
    configs/recast_search/logs/factorized/search.json \
    --plans latency=0.35x --work-dir $W/search
P=$W/search/plan_span
mkdir -p $P
[ -e $P/student.pth ] || $PYTHON - "$W/search/plan_latency=0.35x/finetune.py" \
    $LIB checkpoints/resnet20_akamaster.pth $P/student.pth --pairs \
    backbone.layer1.0:backbone.layer1.1 backbone.layer2.1:backbone.layer2.2 \
    <<'PYTHON' 2>&1 | grep -E '^(iter|retrained)' | tee $W/span_init.log
"""The record of one experiment (configs/recast_search/logs/README.md,
"A candidate trained across the block removed after it"), not a tool.

For each pair A:B of a plan whose block B is removed, retrain the plan's
candidate at A teacher-fed against the teacher's output of B (the span of
both blocks) instead of A's, as the library trains its candidates (Adam
1e-3, step decay at 2/3, batch 64, the library's training fold), and save
the plan's student with it for its fine-tune.

python span_init.py FINETUNE_CFG LIBRARY_CFG TEACHER_PTH OUT_PTH \
    --pairs A:B [A:B ...]
"""
import argparse
import copy
import time

import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.runner import Runner

from mmrecast.apis import register_all_modules
from mmrecast.registry import MODELS
from mmrecast.utils import apply_compat_patches


def main():
    p = argparse.ArgumentParser()
    p.add_argument('finetune')
    p.add_argument('library')
    p.add_argument('teacher')
    p.add_argument('out')
    p.add_argument('--pairs', nargs='+', required=True)
    p.add_argument('--iters', type=int, default=1000)
    p.add_argument('--seed', type=int, default=0)
    args = p.parse_args()
    apply_compat_patches()
    register_all_modules()
    torch.manual_seed(args.seed)
    cfg = Config.fromfile(args.finetune)
    cfg.model.teacher_checkpoint = args.teacher
    model = MODELS.build(dict(cfg.model,
                              data_preprocessor=cfg.data_preprocessor))
    model.init_weights()
    teacher, student = model.teacher.eval(), model.student
    lib = Config.fromfile(args.library)
    loader = Runner.build_dataloader(lib.train_dataloader, seed=args.seed)

    pairs = [pair.split(':') for pair in args.pairs]
    seen = {}

    def keep_input(name):
        def hook(module, inputs):
            seen[name + ':in'] = inputs[0].detach()
        return hook

    def keep_output(name):
        def hook(module, inputs, output):
            seen[name + ':out'] = output.detach()
        return hook

    targets = {}
    for first, second in pairs:
        teacher.get_submodule(first).register_forward_pre_hook(
            keep_input(first))
        teacher.get_submodule(second).register_forward_hook(
            keep_output(second))
        targets[first] = student.get_submodule(first)
    before = {k: copy.deepcopy(m.state_dict()) for k, m in targets.items()}
    params = [q for m in targets.values() for q in m.parameters()]
    optim = torch.optim.Adam(params, lr=1e-3)
    sched = torch.optim.lr_scheduler.StepLR(optim, 667, 0.1)
    for m in targets.values():
        m.train()
    it, start = 0, time.time()
    while it < args.iters:
        for batch in loader:
            data = model.data_preprocessor(batch, True)
            with torch.no_grad():
                teacher(data['inputs'], mode='tensor')
            loss = sum(
                F.mse_loss(targets[a](seen[a + ':in']), seen[b + ':out'])
                for a, b in pairs) / len(pairs)
            optim.zero_grad()
            loss.backward()
            optim.step()
            sched.step()
            it += 1
            if it % 100 == 0 or it == 1:
                print(f'iter {it}: span loss {loss.item():.4f} '
                      f'({time.time() - start:.0f} s)', flush=True)
            if it == args.iters:
                break
    state = {f'student.{k}': v for k, v in student.state_dict().items()}
    torch.save(dict(state_dict=state), args.out)
    changed = [k for k, m in targets.items()
               if any(not torch.equal(v, m.state_dict()[n])
                      for n, v in before[k].items())]
    print('retrained:', changed, '->', args.out)


if __name__ == '__main__':
    main()
PYTHON
sed 's#plan_latency=0.35x/student.pth#plan_span/student.pth#' \
    "$W/search/plan_latency=0.35x/finetune.py" > $P/finetune.py
FT_ITERS=5000
side_by_side "finetune_test span_run1 $P/finetune.py" \
    "finetune_test span_run2 $P/finetune.py"
