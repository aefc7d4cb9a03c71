#!/usr/bin/env bash
# Benchmark of the Lua -> Swift bridge (release build): calls per second of a
# Swift binding against a C and a Lua function in the same run, and the peak
# memory after 1 M and 10 M calls (it must not grow with the number of calls).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
swift build -c release --product frontier >/dev/null
.build/release/frontier --db ":memory:" run scripts/bench/bridge.lua "$@"
