#!/usr/bin/env bash
# Runs every check Parley has: formatting lint, then all unit and end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# The embedder's exactness tests need the real model; they must run, not skip, here.
PARLEY_EMBED_MODEL="${PARLEY_EMBED_MODEL:-$(scripts/install-model.sh)}"
export PARLEY_EMBED_MODEL
# Real-world HTML for the ingestion test: the Debian FAQ, from Debian's package (apt-get download).
DEBIAN_FAQ="$(scripts/knowledge/debian-faq.sh)"
echo "== swift format lint"
swift format lint --strict --recursive Package.swift Sources Tests plugins
echo "== swift test"
swift build --build-tests
# The intent stage's static embeddings, distilled from the model once (about a minute) and kept beside it, so that no
# test server distils them again while the suites run.
"$(swift build --show-bin-path)/parley" models distill --dir "$PARLEY_EMBED_MODEL" >/dev/null
# The pool-starvation suite saturates Swift's cooperative threads on purpose and checks that deadlines still fire
# on time; it runs on its own so that no other suite's work is on those threads when it measures.
scripts/swift-test.sh --skip PoolSensitiveTests
scripts/swift-test.sh --filter PoolSensitiveTests
# The Debian FAQ embeds 331 chunks (~15 s of both cores): on its own, so the timing of other suites is not squeezed.
PARLEY_DEBIAN_FAQ="$DEBIAN_FAQ" scripts/swift-test.sh --filter DebianFAQTests
echo "== PostgreSQL: the store contract and the whole server suite again, on PostgreSQL 15 and on 16 with pgvector"
scripts/postgres.sh install
trap 'scripts/postgres.sh stop parley-test-15 || true; scripts/postgres.sh stop parley-test-16 || true' EXIT
# PostgreSQL 15 also takes TLS (a throwaway CA): the TLS suite connects with verify-full, require and disable.
PG15_URL="$(scripts/postgres.sh start parley-test-15 --tls)"
PARLEY_TEST_TLS_DATABASE_URL="$(cat /tmp/parley-pg-parley-test-15/url-tls)"
export PARLEY_TEST_TLS_DATABASE_URL
PG16_URL="$(scripts/postgres.sh start parley-test-16 --pgvector)"
# A role that bypasses row-level security, which the store must refuse to run as.
scripts/postgres.sh psql parley-test-15 -q -c "CREATE ROLE parley_bypass LOGIN PASSWORD 'bypass' BYPASSRLS" >/dev/null
export PARLEY_TEST_BYPASSRLS_URL="${PG15_URL/parley:parley@/parley_bypass:bypass@}"
# Every suite runs at once on two cores: a pooled connection can take more than the default 10 s to come free, which
# is load, not a failure (CI's run once missed it by that). The pool's own timeout is tested by PoolSensitiveTests.
PARLEY_TEST_DATABASE_URL="$PG15_URL&pool_timeout=60" scripts/swift-test.sh --skip PoolSensitiveTests
PARLEY_TEST_DATABASE_URL="$PG16_URL&pool_timeout=60" PARLEY_TEST_PGVECTOR=1 scripts/swift-test.sh --skip PoolSensitiveTests
echo "== reliability on PostgreSQL: kill -9 mid-stream, a database restart under load, two replicas"
PARLEY_BIN="$(swift build --show-bin-path)/parley" scripts/reliability-tests.sh
echo "== browser tests (headless Chromium, a live parley serve on loopback)"
scripts/install-browser-test-deps.sh
PARLEY_BIN="$(swift build --show-bin-path)/parley" python3 -m pytest Tests/Browser -q -p no:cacheprovider
