#!/usr/bin/env bash
# PostgreSQL server binaries for the throwaway test cluster.
set -euo pipefail
source "$(dirname "$0")/pg-bin.sh"
if [ -n "${PGBIN:-}" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "PostgreSQL not found: installing Debian's postgresql package"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  exit 0
fi
echo "PostgreSQL server binaries (initdb, pg_ctl) are missing. Install them with:" >&2
echo "  sudo apt-get install postgresql" >&2
exit 1
