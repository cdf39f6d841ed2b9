# finetune_test NAME CONFIG [cfg-options...]: fine-tune ($FT_ITERS
# iterations, 1000 unless set; $FT, the schedule options, follows it unless
# set), export and test one plan into $W; skipped when its result exists.
# Sourced by the run scripts.
finetune_test() {  # NAME CONFIG [cfg-options...]
    local name=$1 cfg=$2 n=${FT_ITERS:-1000}; shift 2
    local FT=${FT:-"train_cfg.max_iters=$n train_cfg.val_interval=$n param_scheduler.T_max=$n default_hooks.checkpoint.interval=$n"}
    if [ ! -e $W/test_$name.json ]; then
        [ -e $W/ft_$name/iter_$n.pth ] || bash tools/dist_train.sh $cfg 1 \
            --work-dir $W/ft_$name --cfg-options $FT "$@" > $W/ft_$name.log 2>&1
        $PYTHON tools/export_student.py $cfg "$(cat $W/ft_$name/last_checkpoint)" \
            $W/export_$name ${1:+--cfg-options "$@"} >> $W/ft_$name.log 2>&1
        bash tools/dist_test.sh $W/export_$name/student.py \
            $W/export_$name/student.pth 1 --out $W/test_$name.json \
            --out-item metrics >> $W/ft_$name.log 2>&1
    fi
    echo "$name $(cat $W/test_$name.json)"
}
