#!/usr/bin/env bash
# The GPU checks in one run, each a tool or benchmark of this repository:
#   0. the tests that need a GPU (pytest -m cuda);
#   1. tools/benchmarks/recast_step.py on CUDA (TF32 off, as RecastLoop);
#   2. tools/benchmarks/distill_step.py on CUDA, in fp32 and with --amp;
#   3. a short teacher-fed recast of the akamaster ResNet-20 (fp32, TF32 off)
#      and its fine-tune with --amp, on CUDA through tools/train.py, the
#      student exported and evaluated with tools/test.py;
#   4. teacher vs student with tools/analysis/compare_models.py: latency in
#      torch, torch.export and onnxruntime, on the CPU and the GPU.
# Logs and reports go to OUT_DIR; the last lines are a summary.
#
# Usage (from the repository root, on a machine with a CUDA GPU):
#   bash tools/benchmarks/gpu_check.sh OUT_DIR [RECAST_ITERS] [FINETUNE_ITERS]
# Needs data/cifar10 (the image folder) and checkpoints/resnet20_akamaster.pth
# (tools/model_converters/akamaster_resnet_to_mmrecast.py), as the configs.
set -euo pipefail
OUT=${1:?usage: gpu_check.sh OUT_DIR [RECAST_ITERS] [FINETUNE_ITERS]}
RECAST_ITERS=${2:-300}
FINETUNE_ITERS=${3:-1000}
PY=${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python)}
C=configs/recasting/recast_backbone_resnet20-akamaster_convnet20_1xb64_
C=${C}cifar10-folder
WORK=work_dirs/gpu_check
"$PY" -c 'import sys, torch; sys.exit(not torch.cuda.is_available())' || {
    echo "error: gpu_check.sh: $PY sees no CUDA GPU; run it on a machine" \
        "with one (or set PYTHON to the interpreter that has CUDA torch)" >&2
    exit 2
}
mkdir -p "$OUT"

step() {  # step NAME COMMAND...: run, keep the log, stop on failure
    local name=$1
    shift
    echo "== $name: $*"
    "$@" 2>&1 | tee "$OUT/$name.log"
}

echo "== pytest -m cuda"
"$PY" -m pytest -q -p no:cacheprovider -m cuda tests 2>&1 |
    tee "$OUT/pytest_cuda.log" || echo "CUDA tests FAILED"
step recast_step "$PY" tools/benchmarks/recast_step.py --device cuda \
    --reps 30
step distill_step_fp32 "$PY" tools/benchmarks/distill_step.py \
    --device cuda --iters 30
step distill_step_amp "$PY" tools/benchmarks/distill_step.py \
    --device cuda --iters 30 --amp

loader="train_dataloader.num_workers=8 val_dataloader.num_workers=8"
step recast "$PY" tools/train.py "${C}_recast-parallel.py" \
    --work-dir "$WORK/recast" --cfg-options \
    "train_cfg.iters_per_stage=$RECAST_ITERS" $loader
step finetune "$PY" tools/train.py "${C}_finetune-parallel.py" --amp \
    --work-dir "$WORK/finetune" --cfg-options \
    "model.init_from.0.checkpoint=$WORK/recast" \
    "train_cfg.max_iters=$FINETUNE_ITERS" \
    "train_cfg.val_interval=$FINETUNE_ITERS" \
    "param_scheduler.T_max=$FINETUNE_ITERS" \
    "default_hooks.checkpoint.interval=$FINETUNE_ITERS" $loader
step export "$PY" tools/export_student.py "${C}_finetune-parallel.py" \
    "$WORK/finetune/iter_$FINETUNE_ITERS.pth" "$WORK/export"
step test "$PY" tools/test.py "$WORK/export/student.py" \
    "$WORK/export/student.pth" --work-dir "$WORK/test"
step compare "$PY" tools/analysis/compare_models.py \
    configs/resnet_cifar/resnet20_akamaster_cifar10-folder.py \
    checkpoints/resnet20_akamaster.pth \
    "$WORK/export/student.py" "$WORK/export/student.pth" \
    --names teacher student --out-dir "$OUT/compare" --force \
    --runtime torch torch.export onnxruntime
cp "$WORK/recast"/*/*.log "$OUT/recast_train.log"
cp "$WORK/finetune"/*/*.log "$OUT/finetune_train.log"

echo "== summary"
tail -1 "$OUT/pytest_cuda.log"
grep -h "^ResNet\|worst ratio" "$OUT/recast_step.log" || true
grep -h "^ResNet\|^(\|b/a\|c/a" "$OUT"/distill_step_*.log || true
grep -h "accuracy/top1" "$OUT/test.log" | tail -1 || true
grep -h "latency\|accuracy" "$OUT/compare/report.md" || true
