#!/usr/bin/env bash
# ResNet-20, the batch-1 0.35x budget in onnxruntime: is it within reach of
# the shipped library's candidates? The plan of most capacity under it
# (seven plain convs: the first two blocks removed, every other block a
# conv; predicted 0.351x by the batch-1 search's latency model) against
# all-conv (0.46x) and that search's 0.35x plan, all from the same library,
# fine-tuned the standard 5000 iterations, then 20000 on the SGD warm-up
# recipe with cached teacher logits (configs/recasting/README.md), with
# the search's 0.5x plan and all-slim-0.25 there too; then the latency of
# the exported seven convs and all-conv. Run alone on the machine, from
# the repository root.
#
# The logged runs wrote their plan folders from a copy of search.json with
# these plans added, before --choose existed; --choose writes the same
# student.pth (checked tensor-equal) and configs. Names in the logs:
# RRCCCCCCC = seven-convs, CCCCCCCCC = all-convs, RRKCCRCSS = latency=0.35x.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
S=work_dirs/recast_search W=work_dirs/recast_search20_capacity
LIB=configs/recast_search/recast-search_resnet20-akamaster_1xb64_cifar10-folder_library.py
SEARCH=configs/recast_search/logs/onnxruntime/batch1/search.json
SGD=../recasting/recast_backbone_resnet20-akamaster_convnet20_1xb64_cifar10-folder_finetune-parallel_sgd-warmup_bf16_cached-teacher.py
mkdir -p $W
[ -e $S/library/iter_1000.pth ] || bash tools/dist_train.sh $LIB 1 \
    --work-dir $S/library --cfg-options randomness.seed=2142974215 \
    > $W/library.log 2>&1
PLANS=(--choose seven-convs "backbone.*=BasicBlockToConv"
       "backbone.layer1.[01]=BlockToShortcut"
       --choose all-convs "backbone.*=BasicBlockToConv")
[ -d $W/adam ] || $PYTHON tools/misc/write_plans.py $LIB --checkpoint \
    $S/library --search $SEARCH --work-dir $W/adam "${PLANS[@]}" \
    --plans latency=0.35x
[ -d $W/sgd ] || $PYTHON tools/misc/write_plans.py $LIB --checkpoint \
    $S/library --search $SEARCH --work-dir $W/sgd "${PLANS[@]}" \
    --plans latency=0.35x latency=0.5x "all BasicBlockSlim0.25" \
    --cfg-options search_cfg.finetune_config=$SGD

source configs/recast_search/logs/finetune_test.sh
for p in seven-convs all-convs latency=0.35x; do
    FT_ITERS=5000 finetune_test $p $W/adam/plan_$p/finetune.py
done
n=20000 w=1000  # the recipe's warm-up: 5 % of the fine-tune
for p in seven-convs all-convs latency=0.35x all-BasicBlockSlim0.25 \
        latency=0.5x; do
    FT_ITERS=$n FT="train_cfg.max_iters=$n train_cfg.val_interval=$n
        param_scheduler.0.end=$w param_scheduler.1.begin=$w
        param_scheduler.1.end=$n param_scheduler.1.T_max=$((n - w))
        default_hooks.checkpoint.interval=$n" \
        finetune_test ${p}_sgd$n $W/sgd/plan_$p/finetune.py
done

# Latency of the exported students against the teacher, in onnxruntime at
# batch 1 and 64, one run each (the teacher timed in turn with the plan)
for p in seven-convs all-convs; do
    latency_test resnet20 $p
done

# 2026-12-06: the shape of ResNet-44's 0.35x plan on ResNet-20 (one teacher
# block kept per stage, the others removed) against the seven convs, timed
# the same way; written from the same library and search, fine-tuned for
# one iteration only so that export_student.py has a checkpoint to read
# (the logs name them KRRKRRKRR and RRCCCCCCC).
R=(--choose resnet8-shape "backbone.*=BlockToShortcut" "backbone.layer?.0=keep"
   --choose seven-convs-again "backbone.*=BasicBlockToConv"
   "backbone.layer1.[01]=BlockToShortcut")
[ -d $W/shape ] || $PYTHON tools/misc/write_plans.py $LIB --checkpoint \
    $S/library --search $SEARCH --work-dir $W/shape "${R[@]}"
for p in resnet8-shape seven-convs-again; do
    FT_ITERS=1 finetune_test $p $W/shape/plan_$p/finetune.py
    latency_test resnet20 $p --batch-sizes 1
done
