#!/usr/bin/env bash
# Sim benchmark (release): compiles the Sim target's sources with Metrics,
# SeededRandom, MonotonicSync and scripts/bench/sim_bench.swift into one executable with
# swiftc -O -wmo (no Package.swift product needed), runs it once, prints a table;
# asserts nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# One module: the sources' `import Metrics` / `import SeededRandom` / `import MonotonicSync` lines are dropped.
cp Sources/Sim/*.swift Sources/Metrics/*.swift Sources/SeededRandom/*.swift Sources/MonotonicSync/*.swift "$work/"
sed -i '/^import SeededRandom$/d; /^import Metrics$/d; /^import MonotonicSync$/d' "$work"/*.swift
# -wmo as `swift build -c release` compiles: the scheduler core's generic calls into the
# offline recorder are specialised across files only in whole-module mode.
swiftc -O -wmo -swift-version 6 -parse-as-library -module-name SimBench \
  "$work"/*.swift scripts/bench/sim_bench.swift -o "$work/sim-bench"
"$work/sim-bench"

# The same from Lua, as a user runs it: the release binary (built if missing).
echo
bin=.build/release/frontier
[ -x "$bin" ] || swift build -c release --product frontier >/dev/null
"$bin" --quiet scripts/bench/sim.lua "${SIM_BENCH_REQUESTS:-100000}"
