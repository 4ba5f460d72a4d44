#!/usr/bin/env bash
# Builds Parley in release mode and serves it (default http://127.0.0.1:8080, data in ./parley-data).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product parley
exec .build/release/parley serve "$@"
