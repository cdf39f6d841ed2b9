#!/usr/bin/env bash
# Distributed training with torchrun: one process per GPU, or per CPU worker
# (gloo) on a machine without GPU.
#   bash tools/dist_train.sh CONFIG NPROC [train.py args...]
# Multi-node: NNODES, NODE_RANK, MASTER_ADDR, PORT (same on every node).
exec bash "$(dirname "$0")/dist_launch.sh" train.py "$2" "$1" \
    --launcher pytorch "${@:3}"
