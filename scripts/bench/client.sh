#!/usr/bin/env bash
# Client fidelity and ingest benchmark (release build): starts two `frontier
# serve` processes on loopback (TTFT 50 ms / ITL 10 ms, and zero delay) and
# measures them with scripts/bench/client.lua. Prints tables; asserts nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
swift build -c release --product frontier >/dev/null
bin=.build/release/frontier
tmp=$(mktemp -d)
trap 'kill $timed_pid $zero_pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"' EXIT
$bin serve --port 0 --ttft 0.05 --itl 0.01 > "$tmp/timed.out" &
timed_pid=$!
$bin serve --port 0 --ttft 0 --itl 0 > "$tmp/zero.out" &
zero_pid=$!
for _ in $(seq 50); do
  grep -q /v1 "$tmp/timed.out" 2>/dev/null && grep -q /v1 "$tmp/zero.out" 2>/dev/null && break
  sleep 0.1
done
timed_url=$(grep -o 'http://[^ ]*/v1' "$tmp/timed.out")
zero_url=$(grep -o 'http://[^ ]*/v1' "$tmp/zero.out")
$bin --db "$tmp/bench.db" --quiet run scripts/bench/client.lua "$timed_url" "$zero_url"

# Ingest against a raw C client: a zero-delay C server (so the server is not the limit)
# writing many chunks per packet ("batch") or one chunk per write ("flush").
gcc -O2 -o "$tmp/sse_server" scripts/bench/c/sse_server.c -lpthread
gcc -O2 -o "$tmp/sse_client" scripts/bench/c/sse_client.c -lpthread
echo
echo "Ingest, best of three, frontier and a raw C client in the same run (chunks/s; CPU µs per chunk)"
printf "%-7s %8s %8s %8s %14s %12s %14s %12s %9s\n" mode streams requests tokens frontier/s "frontier µs" "C client/s" "C µs" "C/frontier"
for mode in batch flush; do
  "$tmp/sse_server" 0 "$mode" > "$tmp/sse_$mode.out" &
  sse_pid=$!
  for _ in $(seq 50); do grep -q ready "$tmp/sse_$mode.out" 2>/dev/null && break; sleep 0.1; done
  sse_port=$(awk '/ready/ {print $2}' "$tmp/sse_$mode.out")
  $bin --db "$tmp/ingest.db" --quiet run scripts/bench/ingest.lua "http://127.0.0.1:$sse_port/v1" "$tmp/sse_client" "$mode"
  kill $sse_pid 2>/dev/null || true
  wait $sse_pid 2>/dev/null || true
done
