#!/usr/bin/env bash
# The uniform plans the factorized library's 0.35x plan (run.sh) must beat,
# fine-tuned on the same machine: all-slim-0.25 from the shipped ResNet-44
# library (retrained with the seed of ../library.log; the plan written
# from the batch-1 search's search.json) and all-conv from the factorized
# library, the standard 5000 iterations each, exported and tested. Run
# alone on the machine, from the repository root, after run.sh.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
S=work_dirs/recast_search44 W=work_dirs/recast_search44_factorized
LIB=configs/recast_search/recast-search_resnet44-akamaster_1xb64_cifar10-folder_library.py
SEARCH=configs/recast_search/logs/resnet44/onnxruntime/batch1/search.json
[ -e $S/library/iter_1000.pth ] || bash tools/dist_train.sh $LIB 1 \
    --work-dir $S/library --cfg-options randomness.seed=1056639965 \
    > $W/library_shipped.log 2>&1
[ -d $W/shipped ] || $PYTHON tools/misc/write_plans.py $LIB --checkpoint \
    $S/library --search $SEARCH --work-dir $W/shipped \
    --plans "all BasicBlockSlim0.25"

FT_ITERS=5000
source configs/recast_search/logs/finetune_test.sh
finetune_test all-BasicBlockSlim0.25 \
    $W/shipped/plan_all-BasicBlockSlim0.25/finetune.py
finetune_test all-BasicBlockToConv \
    $W/search/plan_all-BasicBlockToConv/finetune.py
