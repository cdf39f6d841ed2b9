#!/usr/bin/env bash
# ResNet-20, batch-1 budgets in onnxruntime, with the 1x1-conv library
# (..._library-pointwise.py: plain 3x3 conv, 1x1 conv, no block): library
# with the seed of ../library.log, search as in ../onnxruntime/batch1/,
# then the 5000-iteration fine-tunes of the 0.35x and 0.5x plans, exported
# and tested. The 3x3-conv and no-block candidates are the shipped
# library's (candidate k of a block has the same random stream in both),
# so all-conv's results are those of ../onnxruntime/. Run alone on the
# machine, from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
W=work_dirs/recast_search20_pw
LIB=configs/recast_search/recast-search_resnet20-akamaster_1xb64_cifar10-folder_library-pointwise.py
source configs/recast_search/logs/finetune_test.sh
library_search $LIB 2142974215 work_dirs/recast_search/library-pointwise

FT_ITERS=5000
side_by_side \
    "finetune_test latency=0.35x $W/search/plan_latency=0.35x/finetune.py" \
    "finetune_test latency=0.5x $W/search/plan_latency=0.5x/finetune.py"
