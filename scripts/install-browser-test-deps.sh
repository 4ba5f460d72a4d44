#!/usr/bin/env bash
# Installs the Python packages the browser tests use (Selenium, pytest), if they are missing.
# Chromium and chromedriver come from scripts/install-deps.sh (Debian packages).
set -euo pipefail
if ! python3 -c "import selenium, pytest" >/dev/null 2>&1; then
    echo "Installing Python packages: selenium pytest"
    python3 -m pip install --quiet --disable-pip-version-check selenium pytest
fi
