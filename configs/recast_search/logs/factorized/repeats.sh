#!/usr/bin/env bash
# ResNet-20, 0.35x at batch 1 in onnxruntime: two more fine-tunes of the
# searched 0.35x plan and of all-conv from the same factorized library
# (after run.sh), interleaved so that the machine's drift falls on both.
# Each fine-tune draws its own seed (randomness.seed=None), so the three
# runs of a plan are three draws of the same recipe; the cell is judged on
# the mean of the three, decided before these runs.
# Run alone on the machine, from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
W=work_dirs/recast_search20_factorized
source configs/recast_search/logs/finetune_test.sh
FT_ITERS=5000
for r in 2 3; do
    for p in latency=0.35x all-BasicBlockToConv; do
        finetune_test ${p}_run$r $W/search/plan_$p/finetune.py
    done
done
