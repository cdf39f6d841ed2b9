#!/usr/bin/env bash
# ResNet-44, batch-1 budgets in onnxruntime, with the grouped-conv library
# (..._resnet44-..._library-grouped.py: plain conv, plain conv in two
# groups, no block), trained with the seed of ../library.log, so its plain
# conv and no-block candidates start as the shipped library's; searched as
# in ../onnxruntime/batch1/; then the 5000-iteration fine-tunes of the
# 0.35x plan and of the uniform grouped plan side by side, exported and
# tested. Run alone on the machine, from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
S=work_dirs/recast_search44 W=work_dirs/recast_search44_grouped
LIB=configs/recast_search/recast-search_resnet44-akamaster_1xb64_cifar10-folder_library-grouped.py
mkdir -p $W
[ -e $S/library-grouped/iter_1000.pth ] || bash tools/dist_train.sh $LIB 1 \
    --work-dir $S/library-grouped --cfg-options randomness.seed=1056639965 \
    > $W/library.log 2>&1
[ -e $W/search/search.json ] || $PYTHON tools/recast_search.py $LIB \
    --checkpoint $S/library-grouped --runtime onnxruntime --batch 1 \
    --report-batch 64 --budget latency=0.7x latency=0.5x latency=0.35x \
    --work-dir $W/search > $W/search.log 2>&1
grep -E '^(latency|teacher|batch)' $W/search.log

FT_ITERS=5000
source configs/recast_search/logs/finetune_test.sh
side_by_side \
    "finetune_test latency=0.35x $W/search/plan_latency=0.35x/finetune.py" \
    "finetune_test all-grouped $W/search/plan_all-BasicBlockToConv-groups2/finetune.py"
