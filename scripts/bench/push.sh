#!/usr/bin/env bash
# Push throughput: a simulated run of N requests (default 100,000; sim.run, chunk times
# kept) pushed to a throw-away PostgreSQL server on loopback (scripts/postgres/start.sh),
# three times into fresh databases; prints a table of requests per second. Also times the
# re-push (nothing to store) and the pull back. Asserts nothing.
# FRONTIER_BIN picks the binary (default: the release build, built if missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
n=${PUSH_BENCH_REQUESTS:-100000}
bin=${FRONTIER_BIN:-.build/release/frontier}
[ -x "$bin" ] || swift build -c release --product frontier >/dev/null
work=$(mktemp -d /tmp/frontier-pushbench.XXXXXX)
started=0
if [ -z "${FRONTIER_TEST_PG_URL:-}" ]; then eval "$(bash scripts/postgres/start.sh)"; started=1; fi
cleanup() { if [ "$started" = 1 ]; then bash scripts/postgres/stop.sh || true; fi; rm -rf "$work"; }
trap cleanup EXIT

cat > "$work/run.lua" <<LUA
local w = workload.synthetic{ n = $n, seed = 1, input = 256, output = 64 }
sim.run{ gpu = "A800", gpus = 2, model = "Qwen2.5-32B", workload = w, concurrency = 64, tag = "push-bench", keep = "chunks" }
LUA
"$bin" --db "$work/run.db" --quiet run "$work/run.lua"
now() { date +%s.%N; }
printf '%-22s %10s %10s %12s\n' "what" "requests" "seconds" "requests/s"
for k in 1 2 3; do
  db=push_bench_$k
  psql "$FRONTIER_TEST_PG_URL" -qAtc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1
  url="${FRONTIER_TEST_PG_URL%/*}/$db?sslmode=disable"
  t0=$(now); "$bin" --db "$work/run.db" --quiet push --to "$url" >/dev/null; t1=$(now)
  printf '%-22s %10d %10.2f %12.0f\n' "push (try $k)" "$n" "$(echo "$t1 - $t0" | bc)" "$(echo "$n / ($t1 - $t0)" | bc -l)"
done
url="${FRONTIER_TEST_PG_URL%/*}/push_bench_3?sslmode=disable"
t0=$(now); "$bin" --db "$work/run.db" --quiet push --to "$url" >/dev/null; t1=$(now)
printf '%-22s %10d %10.2f %12s\n' "re-push (all there)" 0 "$(echo "$t1 - $t0" | bc)" "-"
t0=$(now); "$bin" --db "$work/back.db" --quiet pull --from "$url" --tag push-bench >/dev/null; t1=$(now)
printf '%-22s %10d %10.2f %12.0f\n' "pull" "$n" "$(echo "$t1 - $t0" | bc)" "$(echo "$n / ($t1 - $t0)" | bc -l)"
url_tls="${FRONTIER_TEST_PG_URL%/*}/push_bench_tls?sslmode=require"
psql "$FRONTIER_TEST_PG_URL" -qAtc "DROP DATABASE IF EXISTS push_bench_tls" -c "CREATE DATABASE push_bench_tls" >/dev/null 2>&1
t0=$(now); "$bin" --db "$work/run.db" --quiet push --to "$url_tls" >/dev/null; t1=$(now)
printf '%-22s %10d %10.2f %12.0f\n' "push over TLS" "$n" "$(echo "$t1 - $t0" | bc)" "$(echo "$n / ($t1 - $t0)" | bc -l)"
