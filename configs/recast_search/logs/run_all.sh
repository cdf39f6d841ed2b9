#!/usr/bin/env bash
# Search at three budgets, then fine-tune every searched and hand plan the
# same way, export and test each student. Run from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
W=work_dirs/recast_search
LIB=configs/recast_search/recast-search_resnet20-akamaster_1xb64_cifar10-folder_library.py
REC=configs/recasting/recast_backbone_resnet20-akamaster_convnet20_1xb64_cifar10-folder_recast.py
FTP=configs/recasting/recast_backbone_resnet20-akamaster_convnet20_1xb64_cifar10-folder_finetune-parallel.py
FT="train_cfg.max_iters=1000 train_cfg.val_interval=1000 param_scheduler.T_max=1000 default_hooks.checkpoint.interval=1000"

[ -e $W/search/search.json ] || $PYTHON tools/recast_search.py $LIB \
    --checkpoint $W/library --budget latency=0.7x latency=0.5x latency=0.35x \
    --work-dir $W/search 2>&1 | tee $W/search.log

source "$(dirname "$0")/finetune_test.sh"

for plan in $W/search/plan_*; do
    name=$(basename $plan); name=${name#plan_}
    finetune_test "$name" $plan/finetune.py train_cfg.max_iters=1000
done
for ratio in 0.5 0.25; do
    SEQ="model.plan.steps.0.recaster.type=BasicBlockReduce model.plan.steps.0.recaster.ratio=$ratio"
    [ -e $W/recast_reduce$ratio/last_checkpoint ] || bash tools/dist_train.sh $REC 1 \
        --work-dir $W/recast_reduce$ratio --no-validate --cfg-options $SEQ \
        train_cfg.iters_per_stage=111 param_scheduler.step_size=74 \
        > $W/recast_reduce$ratio.log 2>&1
    finetune_test "all-BasicBlockReduce$ratio" $FTP $SEQ model.mode=sequential \
        model.init_from.0.checkpoint=$W/recast_reduce$ratio
done

# The reduce students' latency, each against the teacher in one run:
#   python tools/analysis/compare_models.py \
#       configs/resnet_cifar/resnet20_akamaster_cifar10-folder.py checkpoints/resnet20_akamaster.pth \
#       $W/export_all-BasicBlockReduce$ratio/student.py $W/export_all-BasicBlockReduce$ratio/student.pth \
#       --names teacher reduce$ratio --out-dir $W/compare_reduce$ratio --min-run-time 5
# The second score at 0.35x:
#   python tools/recast_search.py $LIB --checkpoint $W/library --budget latency=0.35x \
#       --score mse --work-dir $W/search_mse
#   then the same fine-tune, export and test as finetune_test above (name mse-0.35x)
