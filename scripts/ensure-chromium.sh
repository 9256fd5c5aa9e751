#!/usr/bin/env bash
# Debian's Chromium for the browser tests: installed with apt-get when missing and root.
set -euo pipefail
CHROMIUM="${CIODESK_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Chromium not found: installing Debian's chromium package"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "Chromium is missing at $CHROMIUM. Install it with: sudo apt-get install chromium" >&2
echo "(or set CIODESK_CHROMIUM to its path). Browser tests are skipped without it, except under CI=true." >&2
if [ "${CI:-}" = "true" ]; then exit 1; fi
