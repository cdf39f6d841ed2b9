#!/usr/bin/env bash
# ResNet-20, the batch-1 budgets in onnxruntime with two depthwise-separable
# convs as the middle candidate: library (seed of ../library.log), search,
# then the standard 5000-iteration fine-tune, export and test of the
# searched 0.35x plan and of the uniform plans all-conv and all-separable
# from the same library.
# Run alone on the machine, from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
W=work_dirs/recast_search20_separable2
LIB=configs/recast_search/recast-search_resnet20-akamaster_1xb64_cifar10-folder_library-separable2.py
source configs/recast_search/logs/finetune_test.sh
library_search $LIB 2142974215 work_dirs/recast_search/library_separable2

FT_ITERS=5000
for p in latency=0.35x all-BasicBlockToConv \
        all-BasicBlockToSeparableConv-num_convs2; do
    finetune_test $p $W/search/plan_$p/finetune.py
done

# the exported 0.35x plan in onnxruntime; the library's step cost
onnx_test latency=0.35x
$PYTHON tools/benchmarks/library_step.py --config $LIB
