#!/usr/bin/env bash
# ResNet-20, the batch-1 budgets in onnxruntime with the span library (the
# factorized-conv library plus a plain conv per block trained across the
# next block): library (seed of ../library.log), search, then the standard
# 5000-iteration fine-tune, export and test of the searched 0.35x plan
# three times, each drawing its own seed (the first two side by side on one
# thread each, the third alone); the exported plan in onnxruntime, timed
# against the teacher; the library's cost against the recast pass.
# Run alone on the machine, from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
W=work_dirs/recast_search20_span
LIB=configs/recast_search/recast-search_resnet20-akamaster_1xb64_cifar10-folder_library-span.py
source configs/recast_search/logs/finetune_test.sh
library_search $LIB 2142974215 work_dirs/recast_search/library_span

FT_ITERS=5000
P=$W/search/plan_latency=0.35x/finetune.py
side_by_side "finetune_test latency=0.35x $P" \
    "finetune_test latency=0.35x_run2 $P"
finetune_test latency=0.35x_run3 $P

onnx_test latency=0.35x
latency_test resnet20 latency=0.35x
$PYTHON tools/benchmarks/library_step.py --config $LIB
$PYTHON tools/benchmarks/library_run.py --config $LIB --rounds 1 \
    --work-dir $W/library_run
