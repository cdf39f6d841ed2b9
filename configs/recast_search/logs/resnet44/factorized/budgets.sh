#!/usr/bin/env bash
# ResNet-44, the factorized-conv library's 0.7x and 0.5x plans (run.sh had
# the 0.35x one), so that one library answers all three batch-1 budgets:
# the library and plan folders of run.sh (when missing, the library is
# retrained with the seed of ../library.log and the two plans written from
# this folder's search.json, not searched again), fine-tuned the standard
# 5000 iterations side by side on one thread each (fixed iterations: only
# the wall time changes), exported and tested; then each exported student,
# and all-slim-0.25 of controls.sh, timed against the teacher in
# onnxruntime, alone. After run.sh and controls.sh; run alone on the
# machine, from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
W=work_dirs/recast_search44_factorized
D=work_dirs/recast_search44/library-factorized
LIB=configs/recast_search/recast-search_resnet44-akamaster_1xb64_cifar10-folder_library-factorized.py
mkdir -p $W
[ -e $D/iter_1000.pth ] || bash tools/dist_train.sh $LIB 1 --work-dir $D \
    --cfg-options randomness.seed=1056639965 > $W/library_again.log 2>&1
[ -d $W/search/plan_latency=0.5x ] || $PYTHON tools/misc/write_plans.py \
    $LIB --checkpoint $D \
    --search configs/recast_search/logs/resnet44/factorized/search.json \
    --work-dir $W/search --plans latency=0.7x latency=0.5x

FT_ITERS=5000
source configs/recast_search/logs/finetune_test.sh
side_by_side \
    "finetune_test latency=0.7x $W/search/plan_latency=0.7x/finetune.py" \
    "finetune_test latency=0.5x $W/search/plan_latency=0.5x/finetune.py"
for p in latency=0.7x latency=0.5x all-BasicBlockSlim0.25; do
    [ $p = all-BasicBlockSlim0.25 ] || onnx_test $p
    latency_test resnet44 $p
done
