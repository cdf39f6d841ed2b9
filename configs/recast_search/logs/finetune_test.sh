# finetune_test NAME CONFIG [cfg-options...]: fine-tune ($FT_ITERS
# iterations, 1000 unless set; $FT, the schedule options, follows it unless
# set), export and test one plan into $W; skipped when its result exists.
# onnx_test: the ONNX export of a tested plan, verified and tested.
# latency_test: a tested plan timed against its teacher in onnxruntime.
# library_search: train a library and search it at the batch-1 budgets.
# Sourced by the run scripts.
logged() {  # LOG COMMAND...: append the output to LOG; on failure show
    local log=$1; shift  # its last line (the tools' one-line error)
    "$@" >> $log 2>&1 || { echo "$(tail -n 1 $log) (log: $log)" >&2; return 2; }
}

finetune_test() {  # NAME CONFIG [cfg-options...]
    local name=$1 cfg=$2 n=${FT_ITERS:-1000}; shift 2
    local FT=${FT:-"train_cfg.max_iters=$n train_cfg.val_interval=$n param_scheduler.T_max=$n default_hooks.checkpoint.interval=$n"}
    if [ ! -e $W/test_$name.json ]; then
        local log=$W/ft_$name.log
        [ -e $W/ft_$name/iter_$n.pth ] || { : > $log; logged $log \
            bash tools/dist_train.sh $cfg 1 --work-dir $W/ft_$name \
            --cfg-options $FT "$@"; }
        logged $log $PYTHON tools/export_student.py $cfg \
            "$(cat $W/ft_$name/last_checkpoint)" $W/export_$name \
            ${1:+--cfg-options "$@"}
        logged $log bash tools/dist_test.sh $W/export_$name/student.py \
            $W/export_$name/student.pth 1 --out $W/test_$name.json \
            --out-item metrics
    fi
    echo "$name $(cat $W/test_$name.json)"
}

onnx_test() {  # NAME: $W/export_NAME to ONNX (--verify), tested in
    local e=$W/export_$1  # onnxruntime; skipped when done
    [ -e $e/test_onnx.json ] || { $PYTHON tools/deployment/pytorch2onnx.py \
        $e/student.py $e/student.pth --output-file $e/student.onnx --verify
        $PYTHON tools/deployment/test_onnx.py $e/student.py $e/student.onnx \
        --out $e/test_onnx.json; }
}

latency_test() {  # TEACHER NAME [compare_models options]: $W/export_NAME
    local t=$1 p=$2; shift 2  # timed in turn with the akamaster TEACHER
    $PYTHON tools/analysis/compare_models.py \
        configs/resnet_cifar/${t}_akamaster_cifar10-folder.py \
        checkpoints/${t}_akamaster.pth $W/export_$p/student.py \
        $W/export_$p/student.pth --names teacher $p --runtime onnxruntime \
        --min-run-time 5 --out-dir $W/compare_$p "$@" > $W/compare_$p.log 2>&1
}

side_by_side() {  # 'COMMAND A' 'COMMAND B': both at once, one thread each;
    (             # fails when either does
        export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
        eval "$1" & local a=$!
        eval "$2" & local b=$!
        local rc=0; wait $a || rc=2; wait $b || rc=2; exit $rc
    )
}

library_search() {  # LIB SEED LIBRARY_DIR: train the library (seed SEED)
    local lib=$1 seed=$2 dir=$3  # into LIBRARY_DIR and search it in
    mkdir -p $W                  # onnxruntime at batch 1 into $W/search;
    [ -e $dir/iter_1000.pth ] || bash tools/dist_train.sh $lib 1 \
        --work-dir $dir --cfg-options randomness.seed=$seed \
        > $W/library.log 2>&1    # each step skipped when done
    [ -e $W/search/search.json ] || $PYTHON tools/recast_search.py $lib \
        --checkpoint $dir --runtime onnxruntime --batch 1 \
        --report-batch 64 --budget latency=0.7x latency=0.5x latency=0.35x \
        --work-dir $W/search > $W/search.log 2>&1
    grep -E '^(latency|teacher|batch)' $W/search.log
}
