#!/usr/bin/env bash
# What the test suite needs from Debian, installed when missing (`make test` and CI run this):
# Chromium for the real-browser tests (tests/e2e; Playwright's own browser download is never
# used) and Pango for WeasyPrint's PDFs. `make run` passes "pdf": Pango only.
# Safe to run again: does nothing when everything is present.
set -euo pipefail

packages=()
[ "${1:-}" = "pdf" ] || [ -x /usr/bin/chromium ] || packages+=(chromium)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || packages+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "Installing from Debian: ${packages[*]}"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 "${packages[@]}" >/dev/null
