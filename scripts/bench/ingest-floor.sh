#!/usr/bin/env bash
# Ingest floor (issue 12): how fast streamed replies can be read, from a raw C client
# down to frontier itself, against the same zero-delay C server (scripts/bench/c) in
# one run. Rows per server mode ("flush": one chunk per write and packet; "batch":
# many chunks per packet):
#   C client           scripts/bench/c/sse_client.c, one thread per stream
#   NIO raw            SwiftNIO, request bytes by hand, "\n\n" counted in the TCP stream
#   NIO+decoder        NIO's HTTP/1.1 encoder and decoder, events counted in body parts
#   NIO+decoder+parse  the same plus frontier's SSE and chunk parsing and chunk times
#   frontier           a measuring run (scripts/bench/ingest.lua: frontier's own HTTP/1.1 client)
#   frontier (AHC)     the same run through AsyncHTTPClient (FRONTIER_HTTP_CLIENT=asynchttpclient),
#                      compared with its own C client rounds
# The NIO rows come from `frontier core-bench --ingest` (Sources/FrontierCLI/CoreBench+Ingest.swift),
# on as many event-loop threads as a measuring run. Each figure is the best of three;
# µs/chunk is client CPU (the event loops for Swift, the process for C). Asserts nothing.
#   scripts/bench/ingest-floor.sh [STREAMS REQUESTS TOKENS]     (64 256 2000)
# NO_BUILD=1 skips the release build (client.sh has just made it). PERF=1 then profiles
# frontier and the NIO+decoder+parse reader in flush mode (`perf record -e cpu-clock -g`)
# and splits their event-loop CPU by component (scripts/bench/perf-share.py).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
[ -n "${NO_BUILD:-}" ] || swift build -c release --product frontier >/dev/null
bin=.build/release/frontier
streams=${1:-64} requests=${2:-256} tokens=${3:-2000}
tmp=$(mktemp -d)
sse_pid=
trap '[ -n "$sse_pid" ] && kill $sse_pid 2>/dev/null; wait 2>/dev/null || true; rm -rf "$tmp"' EXIT
gcc -O2 -o "$tmp/sse_server" scripts/bench/c/sse_server.c -lpthread
gcc -O2 -o "$tmp/sse_client" scripts/bench/c/sse_client.c -lpthread

echo "Ingest floor: $streams streams, $requests requests of $tokens tokens, best of three (client CPU µs per chunk)"
printf "%-6s %-18s %12s %9s %9s %9s\n" mode client chunks/s "µs/chunk" "C/x rate" "x/C CPU"
for mode in flush batch; do
  "$tmp/sse_server" 0 "$mode" > "$tmp/sse_$mode.out" &
  sse_pid=$!
  for _ in $(seq 50); do grep -q ready "$tmp/sse_$mode.out" 2>/dev/null && break; sleep 0.1; done
  port=$(awk '/ready/ {print $2}' "$tmp/sse_$mode.out")
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  # frontier and the C client, interleaved (three rounds each)
  line=$($bin --db "$tmp/ingest.db" --quiet run scripts/bench/ingest.lua "http://127.0.0.1:$port/v1" "$tmp/sse_client" "$mode" \
         "$streams" "$requests" "$tokens")
  read -r _ _ _ _ f_rate f_us c_rate c_us _ <<< "$line"
  line=$(FRONTIER_HTTP_CLIENT=asynchttpclient $bin --db "$tmp/ingest.db" --quiet run scripts/bench/ingest.lua \
         "http://127.0.0.1:$port/v1" "$tmp/sse_client" "$mode" "$streams" "$requests" "$tokens")
  read -r _ _ _ _ a_rate a_us a_c_rate a_c_us _ <<< "$line"
  # the three NIO levels, interleaved (three rounds)
  $bin core-bench --ingest "$port" --streams "$streams" --requests "$requests" --tokens "$tokens" > "$tmp/nio_$mode.out"
  kill $sse_pid 2>/dev/null || true
  wait $sse_pid 2>/dev/null || true
  sse_pid=
  row() {  # name rate µs [C rate, C µs: the C client of the same rounds]
    awk -v m="$mode" -v n="$1" -v r="$2" -v u="$3" -v cr="${4:-$c_rate}" -v cu="${5:-$c_us}" \
      'BEGIN { printf "%-6s %-18s %12.0f %9.3f %8.2fx %8.1fx\n", m, n, r, u, cr / r, u / cu }'
  }
  nio() { awk -v l="$1" -v f="$2" '$1 == "best" && $2 == l { print $f }' "$tmp/nio_$mode.out"; }
  row "C client" "$c_rate" "$c_us"
  row "NIO raw" "$(nio raw 4)" "$(nio raw 6)"
  row "NIO+decoder" "$(nio decoder 4)" "$(nio decoder 6)"
  row "NIO+decoder+parse" "$(nio parse 4)" "$(nio parse 6)"
  row "frontier" "$f_rate" "$f_us"
  row "frontier (AHC)" "$a_rate" "$a_us" "$a_c_rate" "$a_c_us"
  echo "       (load average before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg))"
done

if [ -n "${PERF:-}" ]; then
  "$tmp/sse_server" 0 flush > "$tmp/sse_perf.out" &
  sse_pid=$!
  for _ in $(seq 50); do grep -q ready "$tmp/sse_perf.out" 2>/dev/null && break; sleep 0.1; done
  port=$(awk '/ready/ {print $2}' "$tmp/sse_perf.out")
  echo
  echo "Flush mode, share of event-loop CPU samples (perf record -e cpu-clock -g)"
  perf record -q -e cpu-clock -g -o "$tmp/frontier.perf" $bin --db "$tmp/perf.db" --quiet run scripts/bench/ingest.lua \
    "http://127.0.0.1:$port/v1" "$tmp/sse_client" flush "$streams" "$requests" "$tokens" > /dev/null
  perf record -q -e cpu-clock -g -o "$tmp/nio.perf" $bin core-bench --ingest "$port" --levels parse \
    --streams "$streams" --requests "$requests" --tokens "$tokens" > /dev/null
  echo "frontier:"
  perf script -i "$tmp/frontier.perf" -F comm,ip,sym 2>/dev/null | python3 scripts/bench/perf-share.py
  echo "NIO+decoder+parse:"
  perf script -i "$tmp/nio.perf" -F comm,ip,sym 2>/dev/null | python3 scripts/bench/perf-share.py
fi
