#!/usr/bin/env bash
# The 0.35x span plan and all-conv through the same protocol without the
# library's weights: each plan's recast.py (1000 teacher-fed iterations,
# seed 7; the span plan's spans with `covers`, see recast_py.sh), then the
# standard 5000-iteration fine-tune from that checkpoint, three times each,
# each drawing its own seed; in pairs (plan, all-conv) side by side on one
# thread each. Decided before the runs: judged on the means of three.
# Needs recast_py.sh's outputs. Run from the repository root, alone.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
W=work_dirs/recast_search20_span/recast_py
source configs/recast_search/logs/finetune_test.sh
LIB=configs/recast_search/recast-search_resnet20-akamaster_1xb64_cifar10-folder_library-span.py
[ -e "$W/covers/plan_all-BasicBlockToConv/recast.py" ] || \
    $PYTHON tools/misc/write_plans.py $LIB --checkpoint \
    work_dirs/recast_search/library_span --search \
    work_dirs/recast_search20_span/search --plans "all BasicBlockToConv" \
    --work-dir $W/covers > /dev/null
[ -e $W/recast_all-conv/iter_1000.pth ] || \
    bash tools/dist_train.sh $W/covers/plan_all-BasicBlockToConv/recast.py 1 \
    --work-dir $W/recast_all-conv --cfg-options randomness.seed=7 \
    > $W/recast_all-conv.log 2>&1

FT_ITERS=5000
plan() {  # RUN: the span plan from its recast.py's checkpoint
    finetune_test "span-plan_$1" $W/covers/plan_latency=0.35x/finetune.py \
        model.init_from.0.checkpoint=$W/recast_covers/iter_1000.pth
}
all_conv() {  # RUN: all-conv from its recast.py's checkpoint
    finetune_test "all-conv_$1" \
        $W/covers/plan_all-BasicBlockToConv/finetune.py \
        model.init_from.0.checkpoint=$W/recast_all-conv/iter_1000.pth
}
for run in 1 2 3; do
    side_by_side "plan $run" "all_conv $run"
done
