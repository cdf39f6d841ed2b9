#!/usr/bin/env bash
# ResNet-44: the search with onnxruntime as the runtime (batch 64, idle
# workers not spinning while other sessions are timed), on the library that
# ../run_all.sh trains (its seed is in ../library.log), then its 0.35x plan,
# all-conv (the uniform plan nearest it, 0.47x) and its 0.5x plan fine-tuned
# 5000 iterations (the fine-tune config's own length), exported and tested,
# one after another.
# all-slim-0.25 at 5000 is in ../finetune5000 (the same student.pth).
# Run alone on the machine, from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
S=work_dirs/recast_search44 W=work_dirs/recast_search44_ort2
LIB=configs/recast_search/recast-search_resnet44-akamaster_1xb64_cifar10-folder_library.py
mkdir -p $W
[ -e $W/search/search.json ] || $PYTHON tools/recast_search.py $LIB \
    --checkpoint $S/library --runtime onnxruntime \
    --budget latency=0.7x latency=0.5x latency=0.35x \
    --work-dir $W/search > $W/search.log 2>&1
grep -E '^(latency|teacher|batch)' $W/search.log

FT_ITERS=5000
source configs/recast_search/logs/finetune_test.sh
for name in latency=0.35x all-BasicBlockToConv latency=0.5x; do
    finetune_test $name "$W/search/plan_$name/finetune.py"
done
