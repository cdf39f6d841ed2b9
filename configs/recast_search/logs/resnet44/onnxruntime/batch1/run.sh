#!/usr/bin/env bash
# ResNet-44: the onnxruntime search with budgets at batch 1 (batch 64
# reported beside it), on the library retrained with the seed of
# ../../library.log, then the searched plans fine-tuned 5000 iterations
# (the fine-tune config's own length), exported and tested: 0.35x and 0.5x
# side by side (one thread each), then 0.7x. The uniform plans' 5000-
# iteration results are those of ../ and ../../finetune5000 (the same
# library recipe and seed). Run alone on the machine, from the repository
# root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
S=work_dirs/recast_search44 W=work_dirs/recast_search44_ort_b1
LIB=configs/recast_search/recast-search_resnet44-akamaster_1xb64_cifar10-folder_library.py
mkdir -p $W
[ -e $S/library/iter_1000.pth ] || bash tools/dist_train.sh $LIB 1 \
    --work-dir $S/library --cfg-options randomness.seed=1056639965 \
    > $W/library.log 2>&1
[ -e $W/search/search.json ] || $PYTHON tools/recast_search.py $LIB \
    --checkpoint $S/library --runtime onnxruntime --batch 1 \
    --report-batch 64 --budget latency=0.7x latency=0.5x latency=0.35x \
    --work-dir $W/search > $W/search.log 2>&1
grep -E '^(latency|teacher|batch)' $W/search.log

FT_ITERS=5000
source configs/recast_search/logs/finetune_test.sh
side_by_side \
    "finetune_test latency=0.35x $W/search/plan_latency=0.35x/finetune.py" \
    "finetune_test latency=0.5x $W/search/plan_latency=0.5x/finetune.py"
finetune_test latency=0.7x $W/search/plan_latency=0.7x/finetune.py
