#!/usr/bin/env bash
# Distributed evaluation with torchrun.
#   bash tools/dist_test.sh CONFIG CHECKPOINT NPROC [test.py args...]
# Multi-node: NNODES, NODE_RANK, MASTER_ADDR, PORT (same on every node).
exec bash "$(dirname "$0")/dist_launch.sh" test.py "$3" "$1" "$2" \
    --launcher pytorch "${@:4}"
