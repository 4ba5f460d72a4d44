#!/usr/bin/env bash
# Runs the PostgreSQL reliability tests (Tests/Reliability): a kill -9 of the server mid-stream, a database outage,
# two replicas on one database, an idle server. They need a built parley (PARLEY_BIN, else the debug build) and
# PostgreSQL 15, which `scripts/postgres.sh install` provides; each run starts its own throwaway PostgreSQL.
#
#   scripts/reliability-tests.sh                 # extra arguments go to pytest, e.g. -s (timings) or -k replicas
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/postgres.sh install
if ! python3 -c "import pytest" >/dev/null 2>&1; then
    echo "Installing Python packages: pytest"
    python3 -m pip install --quiet --disable-pip-version-check pytest
fi
PARLEY_BIN="${PARLEY_BIN:-$(swift build --show-bin-path)/parley}"
export PARLEY_BIN
[ -x "$PARLEY_BIN" ] || { echo "no parley binary at $PARLEY_BIN: run swift build (or set PARLEY_BIN)" >&2; exit 1; }
exec python3 -m pytest Tests/Reliability -q -p no:cacheprovider "$@"
