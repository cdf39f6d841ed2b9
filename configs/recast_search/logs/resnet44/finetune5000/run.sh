#!/usr/bin/env bash
# ResNet-44 at 0.35x with the shipped fine-tune length (5000 iterations, the
# fine-tune config's own schedule): the searched plan of ../search.json
# (0.39x measured) and all-slim-0.25 (0.63x), the plan it lost to at 1000 and
# 3000 iterations. Both folders are rebuilt from ../search.json and the
# library that ../run_all.sh trains (its seed is in ../library.log; with it
# the library, and so each plan's starting weights, come out the same). Two
# fine-tunes at a time, one thread each. Run from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
S=work_dirs/recast_search44 W=work_dirs/recast_search44_ft5000
LIB=configs/recast_search/recast-search_resnet44-akamaster_1xb64_cifar10-folder_library.py
mkdir -p $W
[ -e $W/plans/plan_all-BasicBlockSlim0.25/student.pth ] || \
        $PYTHON - configs/recast_search/logs/resnet44/search.json $LIB \
        $S/library $W/plans latency=0.35x "all BasicBlockSlim0.25" <<'PY'
# Copyright (c) mmrecast contributors. All rights reserved.
"""Plan folders (recast.py, finetune.py, student.pth) for the named plans
of a finished search's search.json, as the search wrote them.

Usage: - SEARCH_JSON LIBRARY_CFG LIBRARY_CKPT OUT_DIR NAME...
"""
import json
import os.path as osp
import sys

from mmrecast.apis import register_all_modules
from mmrecast.search import load_library, write_plan
from mmrecast.utils import apply_compat_patches
from mmrecast.utils.cli import load_config

search, lib_cfg, lib_ckpt, out, *names = sys.argv[1:]
apply_compat_patches()
register_all_modules()
plans = {p['name']: p for p in json.load(open(search))['plans']}
cfg = load_config(lib_cfg, None)
library = load_library(cfg, lib_ckpt, field='checkpoint')
here = osp.dirname(osp.abspath(lib_cfg))
for name in names:
    plan = plans[name]
    write_plan(library, plan['choice'],
               osp.join(out, 'plan_' + name.replace(' ', '-')),
               osp.join(here, cfg.search_cfg.recast_config),
               osp.join(here, cfg.search_cfg.finetune_config),
               f"{name} of {search}: {plan['measured_ms']:.3f} ms")
PY

FT_ITERS=5000
source configs/recast_search/logs/finetune_test.sh
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
for name in latency=0.35x all-BasicBlockSlim0.25; do
    finetune_test $name $W/plans/plan_$name/finetune.py &
done
wait
