#!/usr/bin/env bash
# A longer standard fine-tune (see the README): every plan of the first
# ResNet-20 search and of the ResNet-44 search, and the hand plans they are
# compared with, fine-tuned 3000 iterations instead of 1000 (the same config
# and cosine schedule, stretched), exported and tested. Each starts from the
# weights its 1000-iteration run started from, so run it from the repository
# root after ../run_all.sh and ../resnet44/run_all.sh. A plan whose result
# exists is skipped.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
FT_ITERS=3000
source configs/recast_search/logs/finetune_test.sh

# ResNet-20: the searched plans and the two library uniform plans.
S=work_dirs/recast_search W=work_dirs/recast_search_ft3000
mkdir -p $W
for name in latency=0.35x all-BasicBlockToConv all-BasicBlockSlim0.25 \
        latency=0.5x latency=0.7x; do
    finetune_test "$name" $S/search/plan_$name/finetune.py
done
# ResNet-20: the BasicBlockReduce plans, from their sequential recast.
FTP=configs/recasting/recast_backbone_resnet20-akamaster_convnet20_1xb64_cifar10-folder_finetune-parallel.py
for ratio in 0.5 0.25; do
    finetune_test "all-BasicBlockReduce$ratio" $FTP \
        model.plan.steps.0.recaster.type=BasicBlockReduce \
        model.plan.steps.0.recaster.ratio=$ratio model.mode=sequential \
        model.init_from.0.checkpoint=$S/recast_reduce$ratio
done

# ResNet-44: the three searched plans and the two library uniform plans.
S=work_dirs/recast_search44 W=work_dirs/recast_search44_ft3000
mkdir -p $W
for name in latency=0.35x all-BasicBlockSlim0.25 all-BasicBlockToConv \
        latency=0.5x latency=0.7x; do
    finetune_test "$name" $S/search/plan_$name/finetune.py
done
