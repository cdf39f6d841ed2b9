#!/usr/bin/env bash
# The whole-run costs of logs/README.md ("What a library costs as whole
# runs"): each library trained against its teacher-fed recast pass, 1000
# iterations each (the ResNet-20 factorized library two rounds, the others
# one round).
# Run alone on the machine, from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
LIB=configs/recast_search/recast-search_resnet20-akamaster_1xb64_cifar10-folder_library
LIB44=configs/recast_search/recast-search_resnet44-akamaster_1xb64_cifar10-folder_library
$PYTHON tools/benchmarks/library_run.py --config ${LIB}-factorized.py \
    --work-dir work_dirs/library_run/factorized20
$PYTHON tools/benchmarks/library_run.py --config ${LIB}.py --rounds 1 \
    --work-dir work_dirs/library_run/shipped20
$PYTHON tools/benchmarks/library_run.py --config ${LIB44}-factorized.py \
    --rounds 1 --work-dir work_dirs/library_run/factorized44
