#!/usr/bin/env bash
# ResNet-20, batch-1 budgets in onnxruntime, the grouped-conv library with
# search_cfg.row_limits (..._library-grouped-rows.py): at most 2, then at
# most 1, grouped convs in a row, removed blocks between them passed
# through. Library: ../grouped/run.sh's. Each search fits its own latency
# model, as any search does. Then the 5000-iteration fine-tunes of both
# 0.35x plans, side by side, exported and tested. Run alone on the machine,
# from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
S=work_dirs/recast_search W=work_dirs/recast_search20_rows
LIB=configs/recast_search/recast-search_resnet20-akamaster_1xb64_cifar10-folder_library-grouped-rows.py
mkdir -p $W
for most in 2 1; do
    [ -e $W/search_most$most/search.json ] || $PYTHON tools/recast_search.py \
        $LIB --checkpoint $S/library-grouped --runtime onnxruntime \
        --batch 1 --report-batch 64 \
        --budget latency=0.7x latency=0.5x latency=0.35x \
        --cfg-options search_cfg.row_limits.0.most=$most \
        --work-dir $W/search_most$most > $W/search_most$most.log 2>&1
    grep -E '^(latency|teacher|batch)' $W/search_most$most.log
done

FT_ITERS=5000
source configs/recast_search/logs/finetune_test.sh
side_by_side \
    "finetune_test most2_latency=0.35x $W/search_most2/plan_latency=0.35x/finetune.py" \
    "finetune_test most1_latency=0.35x $W/search_most1/plan_latency=0.35x/finetune.py"
