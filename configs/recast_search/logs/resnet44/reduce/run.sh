#!/usr/bin/env bash
# ResNet-44's BasicBlockReduce hand plans (every block at 1/2, or 1/4, of
# its width): the paper's sequential recast with ResNet-20's recipe (1000
# iterations over the blocks, 48 each), then the fine-tune of the searched
# plans (5000 iterations), export and test; the two plans side by side, one
# thread each. Then, alone, each student's latency against the teacher in
# torch and onnxruntime, in one run of compare_models.py per plan.
# Run alone on the machine, from the repository root.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
W=work_dirs/recast_search44_reduce
REC=configs/recasting/recast_backbone_resnet20-akamaster_convnet20_1xb64_cifar10-folder_recast.py
FTP=configs/recasting/recast_backbone_resnet44-akamaster_convnet44_1xb64_cifar10-folder_finetune-parallel.py
R44="model.teacher.backbone.depth=44 model.teacher_checkpoint=checkpoints/resnet44_akamaster.pth"
mkdir -p $W

FT_ITERS=5000
source configs/recast_search/logs/finetune_test.sh
reduce_plan() {  # RATIO: sequential recast, then finetune_test
    local ratio=$1
    local SEQ="model.plan.steps.0.recaster.type=BasicBlockReduce model.plan.steps.0.recaster.ratio=$ratio"
    [ -e $W/recast_reduce$ratio/last_checkpoint ] || logged $W/recast_reduce$ratio.log \
        bash tools/dist_train.sh $REC 1 --work-dir $W/recast_reduce$ratio \
        --no-validate --cfg-options $SEQ $R44 train_cfg.iters_per_stage=48 \
        param_scheduler.step_size=32
    finetune_test "all-BasicBlockReduce$ratio" $FTP $SEQ model.mode=sequential \
        model.init_from.0.checkpoint=$W/recast_reduce$ratio
}
side_by_side "reduce_plan 0.5" "reduce_plan 0.25"
for ratio in 0.5 0.25; do
    [ -e $W/compare_reduce$ratio/report.md ] || logged $W/compare_reduce$ratio.log \
        $PYTHON tools/analysis/compare_models.py \
        configs/resnet_cifar/resnet44_akamaster_cifar10-folder.py checkpoints/resnet44_akamaster.pth \
        $W/export_all-BasicBlockReduce$ratio/student.py $W/export_all-BasicBlockReduce$ratio/student.pth \
        --names teacher reduce$ratio --out-dir $W/compare_reduce$ratio --min-run-time 5 \
        --runtime torch onnxruntime --batch-sizes 1 64
    grep -E '^\| (latency|accuracy/top1)' $W/compare_reduce$ratio/report.md
done
