# finetune_test NAME CONFIG [cfg-options...]: fine-tune ($FT_ITERS
# iterations, 1000 unless set; $FT, the schedule options, follows it unless
# set), export and test one plan into $W; skipped when its result exists.
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

side_by_side() {  # 'COMMAND A' 'COMMAND B': both at once, one thread each;
    (             # fails when either does
        export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
        eval "$1" & local a=$!
        eval "$2" & local b=$!
        local rc=0; wait $a || rc=2; wait $b || rc=2; exit $rc
    )
}
