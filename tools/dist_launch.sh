#!/usr/bin/env bash
# Run a tools/ script with torchrun, NPROC processes per node, under the
# tools' error contract: a user error is printed once, last, as the one line
# rank 0 wrote (torchrun's own failure report is held back), and so is a
# rank killed by SIGKILL (most often out of memory) or SIGTERM, or the whole
# job stopped by a signal (Ctrl-C, a scheduler); any other failure shows
# torchrun's stderr in full. The job's stderr is shown when it
# ends (the training log goes to stdout, live).
#   bash tools/dist_launch.sh SCRIPT NPROC [script args...]
# Multi-node: NNODES, NODE_RANK, MASTER_ADDR, PORT (same on every node).
# One node without PORT: torchrun --standalone picks a free port, so two jobs
# on one machine never collide.
set -u
SCRIPT=$1
NPROC=${2:-}
if ! [[ "$NPROC" =~ ^[1-9][0-9]*$ ]]; then
    case "$SCRIPT" in
        train.py) USAGE="dist_train.sh CONFIG N" ;;
        test.py) USAGE="dist_test.sh CONFIG CHECKPOINT N" ;;
        *) USAGE="dist_launch.sh SCRIPT N" ;;
    esac
    echo "error: $USAGE: N='$NPROC' is not a number of processes; give a" \
        "whole number of at least 1 (1 on a CPU, the GPUs of a node)" >&2
    exit 2
fi
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}
if [ "$NNODES" = 1 ] && [ -z "${PORT:-}" ]; then
    RENDEZVOUS=(--standalone)
else
    RENDEZVOUS=(--nnodes="$NNODES" --node_rank="$NODE_RANK"
        --master_addr="$MASTER_ADDR" --master_port="${PORT:-29500}")
fi
PYTHON=${PYTHON:-python}
TOOLS="$(dirname "$0")"

# torchrun and mmengine default every process to one CPU thread, which idles
# the other cores; share the cores out instead unless the user chose.
if [ -z "${OMP_NUM_THREADS:-}" ]; then
    CORES=$(nproc)
    THREADS=$(( CORES / NPROC > 0 ? CORES / NPROC : 1 ))
    export OMP_NUM_THREADS=$THREADS MKL_NUM_THREADS=${MKL_NUM_THREADS:-$THREADS}
    PROCS=$([ "$NPROC" -eq 1 ] && echo process || echo processes)
    echo "dist_launch: OMP_NUM_THREADS=$THREADS per process ($CORES cores," \
        "$NPROC $PROCS); set OMP_NUM_THREADS to choose"
fi

ERROR_FILE=$(mktemp)
STDERR_LOG=$(mktemp)
# torchrun's own log folder (empty without --redirects or --tee): without
# --log-dir it makes one in the temp folder per launch and never removes it
LOG_DIR=$(mktemp -d)
trap 'rm -f "$ERROR_FILE" "$STDERR_LOG"; rm -rf "$LOG_DIR"' EXIT

MMRECAST_ERROR_FILE="$ERROR_FILE" PYTHONPATH="$TOOLS/..":${PYTHONPATH:-} \
"$PYTHON" -m torch.distributed.run "${RENDEZVOUS[@]}" \
    --nproc_per_node="$NPROC" --log-dir "$LOG_DIR" \
    "$TOOLS/$SCRIPT" "${@:3}" 2> "$STDERR_LOG"
rc=$?
if [ "$rc" -ne 0 ]; then
    # who ended the job: torchrun itself, stopped by a signal ("job" and
    # the signal); else the rank its report names as the first to fail,
    # and its exit code (negative: a signal ended it); else one that SIGKILL
    # ended, as the others may fail on losing it in the same second and be
    # named first (not SIGTERM: torchrun itself stops the others with it,
    # nor a SIGKILL torchrun sent to a rank that outlived its grace period)
    read -r RANK CODE < <(awk '/death signal, shutting down workers/ {
            for (i = 1; i < NF; i++) if ($i == "Received") stop = $(i + 1)
            sub(/^Signals\./, "", stop)}
        /Unable to shutdown process/ {
            for (i = 1; i < NF; i++) if ($i == "process") torn[$(i + 1)] = 1}
        $1 == "rank" {rank = $3}
        $1 == "exitcode" {pid = $5; sub(/\)$/, "", pid)}
        $1 == "exitcode" && $3 == -9 && !(pid in torn) && killed == "" {
            killed = rank " -9"}
        /^Root Cause/ {root = 1}
        root && $1 == "exitcode" {cause = rank " " $3}
        END {if (stop != "") {print "job " stop; exit}
            split(cause, c, " ")
            pick = (c[2] ~ /^-(9|15)$/ || killed == "") ? cause : killed
            print pick}' "$STDERR_LOG")
    case "$SCRIPT" in
        train.py) LOADER=train_dataloader.
            RESUME="; add --resume to go on from its last checkpoint" ;;
        test.py) LOADER=test_dataloader. RESUME= ;;
        *) LOADER="the data loaders' " RESUME= ;;
    esac
    WHY=
    if [ "${RANK:-}" = job ]; then
        # torchrun was stopped (a scheduler, kill, Ctrl-C): it stopped the
        # ranks, whose tracebacks say nothing more
        # (torch logs the signal's number, or its name)
        SIGNAL=$CODE
        [[ "$SIGNAL" =~ ^[0-9]+$ ]] && SIGNAL=SIG$(kill -l "$SIGNAL")
        WHO="the job"
        if [ "$SIGNAL" = SIGINT ]; then
            WHY="was interrupted (SIGINT, as by Ctrl-C)$RESUME"
        else
            WHY="was stopped ($SIGNAL) from outside$RESUME"
        fi
    elif [ "${CODE:-}" = -9 ]; then
        WHO="rank $RANK"
        WHY="was killed (SIGKILL), most often by the system's out-of-memory"
        WHY="$WHY killer (see dmesg); lower ${LOADER}batch_size or"
        WHY="$WHY num_workers, or run fewer processes$RESUME"
    elif [ "${CODE:-}" = -15 ]; then
        WHO="rank $RANK"
        WHY="was stopped (SIGTERM) from outside the job$RESUME"
    fi
    if [ -n "$WHY" ]; then
        # killed from outside: no error line of its own to print
        if [[ " ${*:3} " == *" --debug "* ]] \
                || [ "${MMRECAST_DEBUG:-}" = 1 ]; then
            cat "$STDERR_LOG" >&2
        fi
        echo "error: $WHO $WHY" >&2
        exit "$rc"
    fi
    if [ -s "$ERROR_FILE" ]; then
        cat "$ERROR_FILE" >&2
        exit 2
    fi
fi
cat "$STDERR_LOG" >&2
exit "$rc"
