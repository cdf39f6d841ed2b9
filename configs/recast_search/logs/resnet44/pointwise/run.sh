#!/usr/bin/env bash
# ResNet-44, batch-1 budgets in onnxruntime, with the 1x1-conv library
# (..._resnet44-..._library-pointwise.py: plain 3x3 conv, 1x1 conv, no
# block), trained with the seed of ../library.log, so its 3x3-conv and
# no-block candidates start as the shipped library's; searched as in
# ../onnxruntime/batch1/; then the 5000-iteration fine-tune of the 0.35x
# plan, exported and tested. Run alone on the machine, from the
# repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
W=work_dirs/recast_search44_pw
LIB=configs/recast_search/recast-search_resnet44-akamaster_1xb64_cifar10-folder_library-pointwise.py
source configs/recast_search/logs/finetune_test.sh
library_search $LIB 1056639965 work_dirs/recast_search44/library-pointwise

FT_ITERS=5000
finetune_test latency=0.35x $W/search/plan_latency=0.35x/finetune.py
