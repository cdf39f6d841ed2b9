#!/usr/bin/env bash
# ResNet-20, the batch-1 budgets in onnxruntime with the narrow-conv library
# (half-width plain convs whose 1x1 projection export folds into the next
# conv): library (seed of ../library.log), search, then the standard
# 5000-iteration fine-tune, export and test of the searched 0.35x plan and
# of the uniform plans all-conv and all-narrow from the same library; then
# the search again on the same latency model with folding pairs scored
# together (--score-pairs, search_pairs/), and its 0.35x plan fine-tuned.
# Run alone on the machine, from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
W=work_dirs/recast_search20_narrow
LIB=configs/recast_search/recast-search_resnet20-akamaster_1xb64_cifar10-folder_library-narrow.py
source configs/recast_search/logs/finetune_test.sh
library_search $LIB 2142974215 work_dirs/recast_search/library_narrow

FT_ITERS=5000
for p in latency=0.35x all-BasicBlockToConv all-BasicBlockToNarrowConv0.5; do
    finetune_test $p $W/search/plan_$p/finetune.py
done
[ -e $W/search_pairs/search.json ] || $PYTHON tools/recast_search.py $LIB \
    --checkpoint work_dirs/recast_search/library_narrow --runtime onnxruntime \
    --batch 1 --report-batch 64 --budget latency=0.7x latency=0.5x \
    latency=0.35x --latency-table $W/search/search.json --score-pairs \
    --work-dir $W/search_pairs > $W/search_pairs.log 2>&1
finetune_test pairs_latency=0.35x $W/search_pairs/plan_latency=0.35x/finetune.py
