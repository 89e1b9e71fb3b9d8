#!/usr/bin/env bash
# CI: install Debian's Chromium for the real-browser tests (tests/e2e) if it is missing.
# Playwright's own browser download is not used. Safe to run again: does nothing when present.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 chromium >/dev/null
