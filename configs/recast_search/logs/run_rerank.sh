#!/usr/bin/env bash
# The search again on the same library, its best plans re-ranked by joint
# KL (--rerank 10, the default); every chosen plan fine-tuned, exported and
# tested as in run_all.sh. Run from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
W=work_dirs/recast_search
LIB=configs/recast_search/recast-search_resnet20-akamaster_1xb64_cifar10-folder_library.py
FT="train_cfg.max_iters=1000 train_cfg.val_interval=1000 param_scheduler.T_max=1000 default_hooks.checkpoint.interval=1000"

[ -e $W/search_rerank/search.json ] || $PYTHON tools/recast_search.py $LIB \
    --checkpoint $W/library --budget latency=0.7x latency=0.5x latency=0.35x \
    --work-dir $W/search_rerank 2>&1 | tee $W/search_rerank.log

source "$(dirname "$0")/finetune_test.sh"

for budget in 0.35x 0.5x 0.7x; do
    finetune_test "rerank_latency=$budget" \
        $W/search_rerank/plan_latency=$budget/finetune.py train_cfg.max_iters=1000
done
