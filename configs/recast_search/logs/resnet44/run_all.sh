#!/usr/bin/env bash
# ResNet-44: library, search at three budgets, then every searched plan and
# the library's uniform conv and slim plans fine-tuned the same way (1000
# iterations), exported and tested. Run from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
W=work_dirs/recast_search44
LIB=configs/recast_search/recast-search_resnet44-akamaster_1xb64_cifar10-folder_library.py
FT="train_cfg.max_iters=1000 train_cfg.val_interval=1000 param_scheduler.T_max=1000 default_hooks.checkpoint.interval=1000"

[ -e $W/library/last_checkpoint ] || bash tools/dist_train.sh $LIB 1 \
    --work-dir $W/library > $W/library.log 2>&1
[ -e $W/search/search.json ] || $PYTHON tools/recast_search.py $LIB \
    --checkpoint $W/library --budget latency=0.7x latency=0.5x latency=0.35x \
    --work-dir $W/search > $W/search.log 2>&1

source "$(dirname "$0")/../finetune_test.sh"

for name in latency=0.35x latency=0.5x all-BasicBlockToConv all-BasicBlockSlim0.25 latency=0.7x; do
    finetune_test "$name" $W/search/plan_$name/finetune.py train_cfg.max_iters=1000
done
