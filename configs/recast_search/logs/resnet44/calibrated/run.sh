#!/usr/bin/env bash
# ResNet-44: the search again on the same library (../run_all.sh trains it;
# its seed is in ../library.log), with budgets in fractions of the measured
# teacher and each budget's plan calibrated by measurement (--calibrate 3,
# the default). Run alone on the machine, from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
S=work_dirs/recast_search44 W=work_dirs/recast_search44_calibrated
LIB=configs/recast_search/recast-search_resnet44-akamaster_1xb64_cifar10-folder_library.py
mkdir -p $W
$PYTHON tools/recast_search.py $LIB --checkpoint $S/library \
    --budget latency=0.7x latency=0.5x latency=0.35x \
    --work-dir $W/search > $W/search.log 2>&1
grep -E '^(latency|teacher|batch)' $W/search.log
