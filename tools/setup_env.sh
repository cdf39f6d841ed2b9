#!/usr/bin/env bash
# Create or update mmrecast's virtual environment with the known-good stack.
#
#   bash tools/setup_env.sh            # -> .venv
#   VENV=~/envs/mmrecast PYTHON=python3.11 bash tools/setup_env.sh
#
# torch/torchvision are installed first from requirements/torch.txt, then
# mmrecast (editable) with mmcv-lite, the test requirements and the deploy
# extra (onnx, onnxruntime). Safe to run
# again: it installs only what is missing. Links data/ to ../shared/data when
# that local copy exists and data/ does not.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
VENV=${VENV:-.venv}

[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check \
    -r requirements/torch.txt
"$VENV/bin/python" -m pip install -q --disable-pip-version-check \
    -e ".[all]"

if [ ! -e data ] && [ -d ../shared/data ]; then
    ln -s ../shared/data data
fi
"$VENV/bin/python" -c "import mmrecast, torch; print(f'mmrecast {mmrecast.__version__} on torch {torch.__version__} ready in $VENV')"
