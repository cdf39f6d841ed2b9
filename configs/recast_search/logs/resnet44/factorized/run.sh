#!/usr/bin/env bash
# ResNet-44, batch-1 budgets in onnxruntime, with the factorized-conv
# library (..._resnet44-..._library-factorized.py: plain conv, a 3x1 then a
# 1x3 conv, no block), trained with the seed of ../library.log, so its
# plain conv and no-block candidates start as the shipped library's;
# searched as in ../onnxruntime/batch1/; then the 5000-iteration fine-tune
# of the 0.35x plan, exported and tested (controls.sh: the uniform plans
# on the same machine). Run alone on the machine, from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
W=work_dirs/recast_search44_factorized
LIB=configs/recast_search/recast-search_resnet44-akamaster_1xb64_cifar10-folder_library-factorized.py
source configs/recast_search/logs/finetune_test.sh
library_search $LIB 1056639965 work_dirs/recast_search44/library-factorized

FT_ITERS=5000
finetune_test latency=0.35x $W/search/plan_latency=0.35x/finetune.py

# the exported 0.35x plan in onnxruntime
onnx_test latency=0.35x

# Latency of the exported 0.35x student against the teacher, in
# onnxruntime at batch 1 and 64 (the teacher timed in turn with it; run
# alone, after controls.sh in the logged session)
latency_test resnet44 latency=0.35x
