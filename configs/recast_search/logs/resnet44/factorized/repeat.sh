#!/usr/bin/env bash
# ResNet-44, 0.35x at batch 1 in onnxruntime: a second fine-tune of the
# factorized library's 0.35x plan and of all-slim-0.25 (the uniform plan
# closest to it; controls.sh had the first), side by side on one thread
# each (fixed iterations: only the wall time changes). Each fine-tune draws
# its own seed (the fine-tune configs fix none), so the two runs of a plan
# are two draws of the same recipe; the cell is judged on the mean of the
# two, decided before these runs. After run.sh and controls.sh; run alone
# on the machine, from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
W=work_dirs/recast_search44_factorized
source configs/recast_search/logs/finetune_test.sh
FT_ITERS=5000
side_by_side \
    "finetune_test latency=0.35x_run2 $W/search/plan_latency=0.35x/finetune.py" \
    "finetune_test all-BasicBlockSlim0.25_run2 $W/shipped/plan_all-BasicBlockSlim0.25/finetune.py"
