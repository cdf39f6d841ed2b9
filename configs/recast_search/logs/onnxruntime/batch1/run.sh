#!/usr/bin/env bash
# ResNet-20: the onnxruntime search with budgets at batch 1, the batch the
# issue's acceptance names (batch 64 is reported beside it), on the library
# retrained with the seed of ../library.log (the same weights as ../ and
# ../repeat/). Then the fine-tunes (5000 iterations, exported, tested) of
# the plans that decide a budget and were not fine-tuned before. Run alone
# on the machine, from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
S=work_dirs/recast_search W=work_dirs/recast_search20_ort_b1
LIB=configs/recast_search/recast-search_resnet20-akamaster_1xb64_cifar10-folder_library.py
mkdir -p $W
[ -e $S/library/iter_1000.pth ] || bash tools/dist_train.sh $LIB 1 \
    --work-dir $S/library --cfg-options randomness.seed=2142974215 \
    > $W/library.log 2>&1
[ -e $W/search/search.json ] || $PYTHON tools/recast_search.py $LIB \
    --checkpoint $S/library --runtime onnxruntime --batch 1 \
    --report-batch 64 --budget latency=0.7x latency=0.5x latency=0.35x \
    --work-dir $W/search > $W/search.log 2>&1
grep -E '^(latency|teacher|batch)' $W/search.log

# The uniform plans' 5000-iteration results are those of ../ft5000 and
# ../repeat (their student.pth is tensor-equal to this search's), so only
# the searched plans are fine-tuned here.
FT_ITERS=5000
source configs/recast_search/logs/finetune_test.sh
side_by_side \
    "finetune_test latency=0.35x $W/search/plan_latency=0.35x/finetune.py" \
    "finetune_test latency=0.5x $W/search/plan_latency=0.5x/finetune.py"
finetune_test latency=0.7x $W/search/plan_latency=0.7x/finetune.py

# The same search at batch 64, the same hour, for the fit and the check
# (no fine-tunes)
[ -e $W/search_b64/search.json ] || $PYTHON tools/recast_search.py $LIB \
    --checkpoint $S/library --runtime onnxruntime --batch 64 \
    --report-batch 1 --budget latency=0.7x latency=0.5x latency=0.35x \
    --work-dir $W/search_b64 > $W/search_b64.log 2>&1
grep -E '^(latency|teacher|batch)' $W/search_b64.log
