#!/usr/bin/env bash
# Installs the system packages Parley needs to build and test, if they are missing (Debian/Ubuntu).
set -euo pipefail
packages=(pkg-config liblua5.4-dev libopenblas-dev libxml2-dev poppler-utils python3-pip dnsmasq-base wrk chromium chromium-driver)
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "Installing system packages: ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
