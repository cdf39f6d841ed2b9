#!/usr/bin/env bash
# Device side of the GPU screen in configs/recasting/logs/budget/README.md (2026-12-04).
# usage: screen.sh probe NPROC ITERS | screen VARIANT...
# Sets up the carried packages (.devcarry/site.tar.xz: mmengine, mmcv-lite,
# mmpretrain and their pure-Python needs) and the CIFAR-10 folder (two
# halves packed by pack_data.py, written back by restore.py), then runs
# ResNet-44 chained bf16 fine-tunes from one recast checkpoint, all at once.
# The two calls were:
#   THREADS=1 bash screen.sh screen base-s1 base-s2 base-s3 base-12k-s1 \
#       adamw-s1 nocrop-s1 lr2e-3-s1
#   THREADS=1 bash screen.sh screen lr2e-3-s2 lr2e-3-s3 nocrop-s2 \
#       nocrop-s3 base-s4 base-s5 adamw-s2
set -o pipefail
export PYTHONUNBUFFERED=1
PY=${PY:-python3}
OUTD=${OUT:-/tmp/out}; mkdir -p "$OUTD"
if [ "$PY" = python3 ]; then
  [ -d /tmp/site ] || tar xJf .devcarry/site.tar.xz -C /tmp
  export PYTHONPATH=/tmp/site:$PWD
fi
DATA=${DATA:-/tmp/data}
mkdir -p $DATA/cifar10
[ -d $DATA/cifar10/test ] || cp -r .devcarry/test_data/* $DATA/cifar10/
for h in 0 1; do
  if [ -f .devcarry/train_$h.npz ] && [ ! -f $DATA/done_$h ]; then
    $PY .devcarry/restore.py .devcarry/train_$h.npz $DATA/cifar10 && touch $DATA/done_$h
  fi
done
NTRAIN=$(find $DATA/cifar10/train -name '*.png' | wc -l)
echo "train images: $NTRAIN"
if [ -L data ] || [ -e data ]; then rm -rf data; fi
ln -s $DATA data
C=configs/recasting/recast_backbone_resnet44-akamaster_convnet44_1xb64_cifar10-folder_finetune-chained_bf16.py
INIT=.devcarry/recast44/iter_2800.pth
export OMP_NUM_THREADS=${THREADS:-1}

run() {  # run NAME ITERS SEED EXTRA_OPTIONS...
  local name=$1 n=$2 seed=$3; shift 3
  $PY tools/train.py $C --work-dir /tmp/ft/$name --cfg-options \
    train_cfg.max_iters=$n train_cfg.val_interval=$n \
    default_hooks.checkpoint.interval=$n param_scheduler.T_max=$n \
    default_hooks.logger.interval=${LOGI:-500} randomness.seed=$seed \
    model.init_from.0.checkpoint=$INIT train_dataloader.num_workers=2 \
    val_dataloader.num_workers=2 "$@" > "$OUTD/$name.log" 2>&1
  echo "$name rc=$? $(grep -o 'accuracy/top1: [0-9.]*' "$OUTD/$name.log" | tail -1) $(grep -o 'Iter(train) \[ *[0-9]*/[0-9]*\].*time: [0-9.]*' "$OUTD/$name.log" | tail -1 | grep -o 'time: [0-9.]*$')"
}

declare -A V=(
  [base-s1]="8000 1"
  [base-s2]="8000 2"
  [base-s3]="8000 3"
  [base-12k-s1]="12000 1"
  [adamw-s1]="8000 1 optim_wrapper.optimizer.type=AdamW optim_wrapper.optimizer.weight_decay=0.05"
  [nocrop-s1]="8000 1 train_dataloader.collate_fn.padding=0"
  [lr2e-3-s1]="8000 1 optim_wrapper.optimizer.lr=0.002"
  [lr2e-3-s2]="8000 2 optim_wrapper.optimizer.lr=0.002"
  [lr2e-3-s3]="8000 3 optim_wrapper.optimizer.lr=0.002"
  [nocrop-s2]="8000 2 train_dataloader.collate_fn.padding=0"
  [nocrop-s3]="8000 3 train_dataloader.collate_fn.padding=0"
  [base-s4]="8000 4"
  [base-s5]="8000 5"
  [adamw-s2]="8000 2 optim_wrapper.optimizer.type=AdamW optim_wrapper.optimizer.weight_decay=0.05"
)
mode=$1; shift
start=$(date +%s)
if [ "$mode" = probe ]; then
  np=$1; it=$2
  for i in $(seq 1 $np); do LOGI=50 run probe$i $it $i & done
  wait
else
  [ "$NTRAIN" = 50000 ] || [ -n "$FORCE" ] || { echo "not the whole train set; FORCE=1 to run anyway"; exit 3; }
  for v in "$@"; do
    set -- ${V[$v]}; n=${ITERS:-$1}; shift
    run $v $n "$@" &
  done
  wait
fi
echo "wall $(( $(date +%s) - start )) s"
nvidia-smi --query-gpu=name,memory.used --format=csv,noheader 2>/dev/null
