#!/usr/bin/env bash
# The layer-drop search of configs/vit/README.md: search the teacher's
# layers to drop for latency=0.7x and 0.5x (onnxruntime, batch 1), then
# fine-tune, export and test each chosen plan, and the hand plan (layers 1
# and 3) again beside them. Run from the repository root after the
# teacher (vit-tiny-p7_1xb128_mnist.py) is trained.
set -euo pipefail
export PYTHON=${PYTHON:-.venv/bin/python}
w=work_dirs/vit-tiny-p7_layer-drop_1xb128_mnist_search
teacher=work_dirs/vit-tiny-p7_1xb128_mnist/iter_3000.pth
$PYTHON tools/recast_search.py \
    configs/vit/vit-tiny-p7_layer-drop_1xb128_mnist_library.py --work-dir $w
finetune_and_test() {  # name, fine-tune config
  bash tools/dist_train.sh "$2" 1 --work-dir $w/${1}_finetune
  $PYTHON tools/export_student.py "$2" $w/${1}_finetune/iter_1000.pth \
      $w/${1}_export
  bash tools/dist_test.sh $w/${1}_export/student.py \
      $w/${1}_export/student.pth 1
  $PYTHON tools/analysis/compare_models.py \
      configs/vit/vit-tiny-p7_1xb128_mnist.py $teacher \
      $w/${1}_export/student.py $w/${1}_export/student.pth \
      --runtime torch onnxruntime --max-batches 10 --out-dir $w/${1}_compare
}
for b in 0.7x 0.5x; do
  finetune_and_test latency=$b "$w/plan_latency=$b/finetune.py"
done
c=configs/vit/vit-tiny-p7_drop-1-3_1xb128_mnist
bash tools/dist_train.sh ${c}_recast.py 1 \
    --work-dir work_dirs/vit-tiny-p7_drop-1-3_1xb128_mnist_recast
finetune_and_test drop-1-3 ${c}_finetune.py
