#!/usr/bin/env bash
# ResNet-20: the search with onnxruntime as the runtime (batch 64), on the
# library of ../run_all.sh retrained with the seed of ../library.log, then
# the plans fine-tuned, exported and tested:
# - 3000 iterations (the length of ../longer_finetune, whose uniform plans
#   start from the same library weights): the 0.35x and 0.5x plans. The
#   0.7x plan is slower than every uniform plan, so nothing competes with it.
# - 5000 iterations (the fine-tune config's own length, that of the
#   ResNet-44 onnxruntime comparison): the 0.35x plan and the uniform plans
#   as slow or slower, then the 0.5x plan.
# Run alone on the machine, from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
S=work_dirs/recast_search O=work_dirs/recast_search20_ort
LIB=configs/recast_search/recast-search_resnet20-akamaster_1xb64_cifar10-folder_library.py
mkdir -p $O
[ -e $S/library/iter_1000.pth ] || bash tools/dist_train.sh $LIB 1 \
    --work-dir $S/library --cfg-options randomness.seed=2142974215 \
    > $O/library.log 2>&1
[ -e $O/search/search.json ] || $PYTHON tools/recast_search.py $LIB \
    --checkpoint $S/library --runtime onnxruntime \
    --budget latency=0.7x latency=0.5x latency=0.35x \
    --work-dir $O/search > $O/search.log 2>&1
grep -E '^(latency|teacher|batch)' $O/search.log

source configs/recast_search/logs/finetune_test.sh
W=$O FT_ITERS=3000
for name in latency=0.35x latency=0.5x; do
    finetune_test $name "$O/search/plan_$name/finetune.py"
done
W=$O/ft5000 FT_ITERS=5000
mkdir -p $W
for name in latency=0.35x all-BasicBlockToConv all-BasicBlockSlim0.25 \
        latency=0.5x; do
    finetune_test $name "$O/search/plan_$name/finetune.py"
done
