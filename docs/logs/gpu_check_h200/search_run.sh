#!/usr/bin/env bash
# Device-side: the candidate library trained on CUDA (short) and the plan
# search timed on CUDA (--device cuda), on the carried CIFAR-10 subset.
set -o pipefail
export PYTHONUNBUFFERED=1 PYTHONPATH=$PWD/.devcarry/site:$PWD PYTHON=python3
rm -rf data && mkdir -p data && ln -s ../.devcarry/cifar10 data/cifar10
L=configs/recast_search/recast-search_resnet20-akamaster_1xb64_cifar10-folder_library.py
timeout 150 python3 tools/train.py $L --work-dir /tmp/lib --cfg-options \
    train_cfg.max_iters=200 default_hooks.checkpoint.interval=200 \
    train_dataloader.num_workers=8 > "$OUT/library.log" 2>&1
echo "library rc=$?"; grep -E "Iter\(train\) \[200|Error" "$OUT/library.log" | tail -2 | cut -c1-200
timeout 200 python3 tools/recast_search.py $L --checkpoint /tmp/lib --device cuda \
    --budget latency=0.5x --timing-seconds 4 --work-dir /tmp/search \
    > "$OUT/search.log" 2>&1
echo "search rc=$?"
grep -v "Warning\|Strip = re" "$OUT/search.log" | tail -22
