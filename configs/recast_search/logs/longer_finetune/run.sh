#!/usr/bin/env bash
# A longer standard fine-tune at the 0.35x budget (see the README): the
# searched 0.35x plan and the two uniform plans it must beat (all-conv,
# all-slim-0.25), each from its library weights as written by the first
# search (run_all.sh), fine-tuned 3000 iterations instead of 1000 (the same
# config and cosine schedule, stretched), exported and tested. Run from the
# repository root after run_all.sh.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
S=work_dirs/recast_search/search
W=work_dirs/recast_search_ft3000
FT_ITERS=3000
source configs/recast_search/logs/finetune_test.sh
mkdir -p $W
for name in latency=0.35x all-BasicBlockToConv all-BasicBlockSlim0.25; do
    finetune_test "$name" $S/plan_$name/finetune.py
done
