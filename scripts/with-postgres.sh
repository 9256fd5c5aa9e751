#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster, stopped and removed afterwards.
#   bash scripts/with-postgres.sh pytest ...
set -euo pipefail
source "$(dirname "$0")/pg-bin.sh"
if [ -z "$PGBIN" ]; then
  echo "PostgreSQL server binaries not found; run 'make postgresql'." >&2
  exit 1
fi
WORK="$(mktemp -d /tmp/ciodesk-pg.XXXXXX)"
chmod 755 "$WORK"
RUN=()
if [ "$(id -u)" = "0" ]; then
  # PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
  chown postgres "$WORK"
  RUN=(runuser -u postgres --)
fi
PORT="${CIODESK_PG_PORT:-$((20000 + RANDOM % 20000))}"
stop() {
  "${RUN[@]}" "$PGBIN/pg_ctl" -D "$WORK/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap stop EXIT
"${RUN[@]}" "$PGBIN/initdb" -D "$WORK/data" -U ciodesk -A trust --no-sync -E UTF8 >/dev/null
"${RUN[@]}" "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w -o \
  "-k $WORK -p $PORT -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') running in $WORK (port $PORT)"
export DATABASE_URL="postgres://ciodesk@%2F${WORK//\//%2F}:${PORT}/postgres"
"$@"
