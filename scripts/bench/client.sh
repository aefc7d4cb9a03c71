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

# Ingest against a raw C client, with the SwiftNIO floor between them: a zero-delay C
# server (so the server is not the limit) writing many chunks per packet ("batch") or
# one chunk per write ("flush"); see scripts/bench/ingest-floor.sh.
echo
NO_BUILD=1 scripts/bench/ingest-floor.sh
