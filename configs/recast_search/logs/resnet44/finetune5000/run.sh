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
    $PYTHON tools/misc/write_plans.py $LIB --checkpoint $S/library \
    --search configs/recast_search/logs/resnet44/search.json \
    --work-dir $W/plans --plans latency=0.35x "all BasicBlockSlim0.25"

FT_ITERS=5000
source configs/recast_search/logs/finetune_test.sh
side_by_side \
    "finetune_test latency=0.35x $W/plans/plan_latency=0.35x/finetune.py" \
    "finetune_test all-BasicBlockSlim0.25 $W/plans/plan_all-BasicBlockSlim0.25/finetune.py"
