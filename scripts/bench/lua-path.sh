#!/usr/bin/env bash
# The Lua path against its Swift core (release): frontier.pareto / knee over a million
# points, db.query and db.columns over 100,000 rows, run:each_request over 100,000 stored
# requests — each timed from a script (scripts/bench/lua-path.lua) and its core timed by
# `frontier core-bench` on the same data in the same run. Prints a table with ratios
# and peak memory; asserts nothing. Usage: scripts/bench/lua-path.sh [points]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
bin=${FRONTIER_BIN:-.build/release/frontier}
[ -x "$bin" ] || swift build -c release --product frontier >/dev/null
"$bin" --quiet scripts/bench/lua-path.lua "$bin" "${1:-1000000}"
