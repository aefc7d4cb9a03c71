#!/usr/bin/env bash
# Stops the server scripts/postgres/start.sh started (FRONTIER_PG_DIR) and deletes its directory.
set -euo pipefail
dir=${FRONTIER_PG_DIR:?FRONTIER_PG_DIR is not set: nothing to stop}
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
owner=$(stat -c %U "$dir/data" 2>/dev/null || echo "")
if [ -n "$owner" ] && [ -f "$dir/data/postmaster.pid" ]; then
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$owner" -- "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  else "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null; fi
fi
case "$dir" in /tmp/frontier-pg.*) rm -rf "$dir" ;; esac
