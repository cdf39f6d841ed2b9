#!/usr/bin/env bash
# The ResNet-20 onnxruntime 0.35x verdict rested on 4 test images (one run
# each way), so its two plans ran again with other seeds (the configs draw
# one per run): the searched 0.35x plan and all-BasicBlockToConv, 5000
# fine-tune iterations each, side by side, one thread each; then the 0.7x
# plan (no uniform plan is as slow), 5000 iterations alone. The plan
# folders are written by tools/misc/write_plans.py from ../search.json and
# the library retrained with the seed of ../library.log (the same
# weights), so no search runs again. Run alone on the machine, from the
# repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
S=work_dirs/recast_search W=work_dirs/recast_search20_ort_repeat
LIB=configs/recast_search/recast-search_resnet20-akamaster_1xb64_cifar10-folder_library.py
SEARCH=configs/recast_search/logs/onnxruntime/search.json
mkdir -p $W
[ -e $S/library/iter_1000.pth ] || bash tools/dist_train.sh $LIB 1 \
    --work-dir $S/library --cfg-options randomness.seed=2142974215 \
    > $W/library.log 2>&1

[ -e $W/plan_latency=0.7x/finetune.py ] || $PYTHON tools/misc/write_plans.py \
    $LIB --checkpoint $S/library --search $SEARCH --work-dir $W \
    --plans latency=0.35x "all BasicBlockToConv" latency=0.7x

FT_ITERS=5000
source configs/recast_search/logs/finetune_test.sh
side_by_side \
    "finetune_test latency=0.35x $W/plan_latency=0.35x/finetune.py" \
    "finetune_test all-BasicBlockToConv $W/plan_all-BasicBlockToConv/finetune.py"
finetune_test latency=0.7x $W/plan_latency=0.7x/finetune.py
