#!/usr/bin/env bash
# Fetches the Debian FAQ (Debian's `debian-faq` package: 18 HTML chapters made by DocBook, with navigation, tables
# of contents and footers around the text) and prints the folder holding its HTML, for the HTML-path tests and the
# ingestion throughput figure. Uses `apt-get download`, so it needs only Debian's package lists, not root.
#
#   scripts/knowledge/debian-faq.sh [DIR]     # default /tmp/parley-debian-faq; prints DIR/usr/share/doc/debian/FAQ
#
# Then, for the figure:  parley ingest --tenant KEY "$(scripts/knowledge/debian-faq.sh)"
set -euo pipefail
dir=${1:-/tmp/parley-debian-faq}
faq="$dir/usr/share/doc/debian/FAQ"
if [ ! -f "$faq/index.en.html" ]; then
    mkdir -p "$dir"
    (cd "$dir" && apt-get download debian-faq >/dev/null 2>&1) || {
        apt-get update -qq >/dev/null 2>&1 || true
        (cd "$dir" && apt-get download debian-faq >/dev/null 2>&1)
    }
    dpkg-deb -x "$dir"/debian-faq_*.deb "$dir"
fi
[ -f "$faq/index.en.html" ] || { echo "debian-faq.sh: no FAQ HTML in $faq" >&2; exit 1; }
echo "$faq"
