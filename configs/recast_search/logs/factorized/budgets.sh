#!/usr/bin/env bash
# ResNet-20, the factorized-conv library's 0.7x and 0.5x plans (run.sh had
# the 0.35x one), and the uniform plan they must beat, all-slim-0.25 (the
# one uniform plan slower than 0.5x, and near 0.7x), on this machine: the
# plans from run.sh's search (this folder's search.json), all-slim-0.25
# from the shipped library of ../capacity/run.sh written from the batch-1
# search's search.json, each fine-tuned the standard 5000 iterations (the
# two searched ones side by side on one thread each: fixed iterations, only
# the wall time changes), exported and tested; then each exported student
# timed against the teacher in onnxruntime, alone (the logged run tested
# the two plans' ONNX exports after the timings). After run.sh; run alone
# on the machine, from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
W=work_dirs/recast_search20_factorized S=work_dirs/recast_search
LIB=configs/recast_search/recast-search_resnet20-akamaster_1xb64_cifar10-folder_library.py
[ -e $S/library/iter_1000.pth ] || bash tools/dist_train.sh $LIB 1 \
    --work-dir $S/library --cfg-options randomness.seed=2142974215 \
    > $W/library_shipped.log 2>&1
[ -d $W/shipped ] || $PYTHON tools/misc/write_plans.py $LIB --checkpoint \
    $S/library --search configs/recast_search/logs/onnxruntime/batch1/search.json \
    --work-dir $W/shipped --plans "all BasicBlockSlim0.25"

FT_ITERS=5000
source configs/recast_search/logs/finetune_test.sh
side_by_side \
    "finetune_test latency=0.7x $W/search/plan_latency=0.7x/finetune.py" \
    "finetune_test latency=0.5x $W/search/plan_latency=0.5x/finetune.py"
finetune_test all-BasicBlockSlim0.25 \
    $W/shipped/plan_all-BasicBlockSlim0.25/finetune.py
for p in latency=0.7x latency=0.5x all-BasicBlockSlim0.25; do
    [ $p = all-BasicBlockSlim0.25 ] || onnx_test $p
    latency_test resnet20 $p
done
