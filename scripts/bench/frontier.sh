#!/usr/bin/env bash
# FrontierMath benchmark (release): compiles the target's sources, the shared
# generator (SeededRandom) and scripts/bench/frontier_bench.swift into one
# executable with swiftc -O (no Package.swift product needed), runs it once,
# prints a table; asserts nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# One module: the sources' `import SeededRandom` lines are dropped.
cp Sources/FrontierMath/*.swift Sources/SeededRandom/*.swift "$work/"
sed -i '/^import SeededRandom$/d' "$work"/*.swift
swiftc -O -swift-version 6 -parse-as-library -module-name FrontierBench \
  "$work"/*.swift scripts/bench/frontier_bench.swift -o "$work/frontier-bench"
"$work/frontier-bench"
