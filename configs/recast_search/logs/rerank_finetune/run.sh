#!/usr/bin/env bash
# Re-ranking by a short fine-tune (tried, not adopted; see the README): the
# 5 best plans at latency=0.35x by summed score (from the first search's
# search.json), each fine-tuned 200 iterations on the training images
# without the held-out fold and validated on that fold; the best of them
# then fine-tuned, exported and tested as every plan. Run from the
# repository root after run_all.sh.
set -euo pipefail  # the two Python helpers below are heredocs
export PYTHON=${PYTHON:-.venv/bin/python}
W=work_dirs/rr; K=5; S=200
LIB=configs/recast_search/recast-search_resnet20-akamaster_1xb64_cifar10-folder_library.py
FT="train_cfg.max_iters=1000 train_cfg.val_interval=1000 param_scheduler.T_max=1000 default_hooks.checkpoint.interval=1000"
source configs/recast_search/logs/finetune_test.sh
mkdir -p $W
make_plans() {  # SEARCH_JSON LIBRARY_CFG LIBRARY_CKPT BUDGET K OUT_DIR
    $PYTHON - "$@" <<'PY'
# Copyright (c) mmrecast contributors. All rights reserved.
"""The K best plans at a latency budget by summed score, from a finished
search's search.json (its scores and fitted latency table), written as
plan folders (recast.py, finetune.py, student.pth) as the search writes
its chosen plan.

Usage: make_plans.py SEARCH_JSON LIBRARY_CFG LIBRARY_CKPT BUDGET K OUT_DIR
"""
import json
import os.path as osp
import sys

from mmrecast.apis import register_all_modules
from mmrecast.search import (load_library, parse_budget, select_plans,
                             write_plan)
from mmrecast.utils import apply_compat_patches
from mmrecast.utils.cli import load_config

search, lib_cfg, lib_ckpt, budget, k, out = sys.argv[1:7]
apply_compat_patches()
register_all_modules()
saved = json.load(open(search))
scores = {(r['block'], r['index']): -r['kl'] for r in saved['candidates']}
options = {}
for block, index in scores:
    options.setdefault(block, []).append(index)
whole = saved['table']['whole_ms']
deltas = dict(latency={})
for key, saving in saved['table']['savings'].items():
    block, index = key.rsplit(':', 1)
    deltas['latency'][(block, int(index))] = -saving
limit = dict(latency=parse_budget(budget).limit(whole) - whole)
plans = select_plans(options, scores, deltas, limit, int(k))
cfg = load_config(lib_cfg, None)
library = load_library(cfg, lib_ckpt, field='checkpoint')
here = osp.dirname(osp.abspath(lib_cfg))
for n, choice in enumerate(plans, 1):
    ms = whole + sum(deltas['latency'][key] for key in choice.items())
    score = sum(scores[key] for key in choice.items())
    print(n, f'{ms / whole:.3f}x', f'{score:.3f}',
          dict(sorted(choice.items())))
    write_plan(library, choice, f'{out}/plan{n}',
               osp.join(here, cfg.search_cfg.recast_config),
               osp.join(here, cfg.search_cfg.finetune_config),
               f'plan {n} of the {k} best at {budget}')
PY
}

short_cfg() {  # FINETUNE_CFG OUT_CFG ITERS
    $PYTHON - "$@" <<'PY'
# Copyright (c) mmrecast contributors. All rights reserved.
"""A plan's finetune.py shortened to ITERS iterations, trained without the
library's held-out fold and validated on it (never on the test set).

Usage: short_cfg.py FINETUNE_CFG OUT_CFG ITERS
"""
import copy
import sys

from mmengine.config import Config

src, dst, iters = sys.argv[1], sys.argv[2], int(sys.argv[3])
cfg = Config.fromfile(src)
fold = dict(type='KFoldDataset', _scope_='mmpretrain', fold=0, num_splits=50,
            seed=0)  # the library config's held-out fold
train = cfg.train_dataloader.dataset
cfg.train_dataloader.dataset = dict(fold, dataset=train, test_mode=False)
val = copy.deepcopy(cfg.val_dataloader.dataset)
val['data_prefix'] = train['data_prefix']
cfg.val_dataloader.dataset = dict(fold, dataset=val, test_mode=True)
cfg.test_dataloader = cfg.val_dataloader
cfg.train_cfg.max_iters = iters
cfg.train_cfg.val_interval = iters
cfg.param_scheduler.T_max = iters
cfg.default_hooks.checkpoint.interval = iters
cfg.dump(dst)
PY
}

[ -e $W/plans.txt ] || make_plans work_dirs/recast_search/search/search.json \
    $LIB work_dirs/recast_search/library latency=0.35x $K $W | tee $W/plans.txt
for n in $(seq 1 $K); do
    [ -e $W/short$n.py ] || short_cfg $W/plan$n/finetune.py $W/short$n.py $S
    [ -e $W/short$n/iter_$S.pth ] || $PYTHON tools/train.py $W/short$n.py \
        --work-dir $W/short$n > $W/short$n.log 2>&1
    echo "plan$n heldout $(grep -o 'accuracy/top1: [0-9.]*' $W/short$n.log | tail -1)"
done | tee $W/short.txt
best=$(sort -t: -k2 -n -r $W/short.txt | head -1 | cut -d' ' -f1)
finetune_test "$best" $W/$best/finetune.py
