#!/usr/bin/env bash
# The onnxruntime 0.35x verdict rested on 4 test images, so its two plans
# ran again with other seeds (the configs draw one per run): the searched
# 0.35x plan and all-slim-0.25, from the plan folders of ../run.sh's search,
# 5000 fine-tune iterations each, exported and tested; side by side, one
# thread each. Run after ../run.sh, alone on the machine, from the
# repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
S=work_dirs/recast_search44_ort2/search W=work_dirs/recast_search44_ort_repeat
mkdir -p $W

FT_ITERS=5000
source configs/recast_search/logs/finetune_test.sh
side_by_side \
    "finetune_test latency=0.35x $S/plan_latency=0.35x/finetune.py" \
    "finetune_test all-BasicBlockSlim0.25 $S/plan_all-BasicBlockSlim0.25/finetune.py"
