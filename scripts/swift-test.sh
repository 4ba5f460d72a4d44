#!/usr/bin/env bash
# Runs `swift test --skip-build "$@"` with a deadline, so that a hung test fails the run instead of stalling it, and
# names the tests that started and never finished (Swift Testing prints a line when each starts and ends; `stdbuf`
# keeps those lines from waiting in a buffer that the kill would lose).
#
# PARLEY_TEST_DEADLINE: seconds for the whole invocation (default 1500).
set -uo pipefail
deadline="${PARLEY_TEST_DEADLINE:-1500}"
log="$(mktemp -t parley-swift-test.XXXXXX)"
trap 'rm -f "$log"' EXIT
timeout --signal=TERM --kill-after=30 "$deadline" stdbuf -oL -eL swift test --skip-build "$@" 2>&1 | tee "$log"
status="${PIPESTATUS[0]}"
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "== swift test $* did not finish within ${deadline} s; started and never ended:" >&2
    python3 - "$log" >&2 <<'EOF'
import re, sys
from collections import Counter
open_tests = Counter()
any_started = False
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    started = re.search(r"Test (.+?) started\.", line)
    ended = re.search(r"Test (.+?) (passed|failed|skipped|recorded an issue)", line)
    if line.lstrip("◇ ").startswith("Test run "):
        continue
    if started:
        any_started = True
        open_tests[started.group(1)] += 1
    elif ended and "recorded an issue" not in line:
        open_tests[ended.group(1)] -= 1
hung = [name for name, count in open_tests.items() if count > 0]
if hung:
    print("\n".join(f"  {name}" for name in hung))
elif any_started:
    print("  (none: every test that started ended; the process hung after)")
else:
    print("  (none: no test had started)")
EOF
fi
exit "$status"
