#!/usr/bin/env bash
# The library with a depthwise-separable candidate (..._library-separable):
# train it, search at three budgets, fine-tune, export and test the 0.35x
# plan and the all-separable hand plan first, then the others, as
# run_all.sh does. Run from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
W=work_dirs/recast_search_sep
LIB=configs/recast_search/recast-search_resnet20-akamaster_1xb64_cifar10-folder_library-separable.py
FT="train_cfg.max_iters=1000 train_cfg.val_interval=1000 param_scheduler.T_max=1000 default_hooks.checkpoint.interval=1000"
mkdir -p $W
[ -e $W/library/iter_1000.pth ] || bash tools/dist_train.sh $LIB 1 \
    --work-dir $W/library > $W/library.log 2>&1
[ -e $W/search/search.json ] || $PYTHON tools/recast_search.py $LIB \
    --checkpoint $W/library --budget latency=0.7x latency=0.5x latency=0.35x \
    --work-dir $W/search 2>&1 | tee $W/search.log

source "$(dirname "$0")/../finetune_test.sh"

for name in latency=0.35x all-BasicBlockToSeparableConv latency=0.5x latency=0.7x; do
    finetune_test "$name" $W/search/plan_$name/finetune.py
done
