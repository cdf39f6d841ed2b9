#!/usr/bin/env bash
# The 0.35x plan of run.sh, trained again without the library by its
# recast.py (1000 teacher-fed iterations, seed 7), written two ways: with
# its two spans as `covers` steps (what write_plans.py writes now) and
# with every block against its own output (what it wrote before); each
# exported and tested before any fine-tune, beside the library's own
# student.pth. Needs run.sh's library and search.json. Run from the
# repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
W=work_dirs/recast_search20_span/recast_py
LIB=configs/recast_search/recast-search_resnet20-akamaster_1xb64_cifar10-folder_library-span.py
mkdir -p $W
$PYTHON tools/misc/write_plans.py $LIB --checkpoint \
    work_dirs/recast_search/library_span --search \
    work_dirs/recast_search20_span/search --plans latency=0.35x \
    --work-dir $W/covers > /dev/null
P=$W/covers/plan_latency=0.35x
mkdir -p $W/own/plan_latency=0.35x  # the same plan, the covers dropped
$PYTHON -c "import re, sys; print(re.sub(r\",\s*'covers': '[^']*'\", '',
    open(sys.argv[1]).read()), end='')" $P/recast.py \
    > $W/own/plan_latency=0.35x/recast.py
test_student() {  # NAME CONFIG CHECKPOINT: export, then the test images
    $PYTHON tools/export_student.py $2 $3 $W/export_$1 > /dev/null
    echo "$1: $(bash tools/dist_test.sh $W/export_$1/student.py \
        $W/export_$1/student.pth 1 2>&1 | grep -o 'accuracy/top1: [0-9.]*' \
        | tail -n 1)"
}
test_student library $P/finetune.py $P/student.pth
for n in covers own; do
    bash tools/dist_train.sh $W/$n/plan_latency=0.35x/recast.py 1 \
        --work-dir $W/recast_$n --cfg-options randomness.seed=7 \
        > $W/recast_$n.log 2>&1
    test_student recast.py-$n $W/$n/plan_latency=0.35x/recast.py \
        "$(cat $W/recast_$n/last_checkpoint)"
done
