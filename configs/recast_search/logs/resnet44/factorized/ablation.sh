#!/usr/bin/env bash
# ResNet-44, the factorized library's 0.35x plan with its one factorized
# conv (layer3.6) made a plain conv from the same library: does the win
# come from the new candidate or from the plan's shape? The standard
# 5000-iteration fine-tune, export and test, then its batch-1 latency in
# onnxruntime against the teacher's. After run.sh; run alone on the machine,
# from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
W=work_dirs/recast_search44_factorized
LIB=configs/recast_search/recast-search_resnet44-akamaster_1xb64_cifar10-folder_library-factorized.py
source configs/recast_search/logs/finetune_test.sh
P=no-factorized
[ -e $W/search/plan_$P ] || $PYTHON tools/misc/write_plans.py $LIB \
    --checkpoint work_dirs/recast_search44/library-factorized \
    --search $W/search --choose $P \
    'backbone.layer1.0=0' 'backbone.layer1.3=2' 'backbone.layer1.4=2' \
    'backbone.layer1.5=2' 'backbone.layer2.[1-6]=2' 'backbone.layer3.0=0' \
    'backbone.layer3.1=0' 'backbone.layer3.2=0' 'backbone.layer3.3=2' \
    'backbone.layer3.4=2' 'backbone.layer3.5=0' 'backbone.layer3.6=0'
FT_ITERS=5000
finetune_test $P $W/search/plan_$P/finetune.py
latency_test resnet44 $P
grep -iE "latency|ms" $W/compare_$P.log | tail -8
