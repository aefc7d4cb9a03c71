#!/usr/bin/env bash
# FrontierMath benchmark (release): compiles the target's sources together with
# scripts/bench/frontier_bench.swift into one executable with swiftc -O (no
# Package.swift product needed), runs it once, prints a table; asserts nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
bin=$(mktemp -d)/frontier-bench
trap 'rm -rf "$(dirname "$bin")"' EXIT
swiftc -O -swift-version 6 -parse-as-library -module-name FrontierBench \
  Sources/FrontierMath/*.swift scripts/bench/frontier_bench.swift -o "$bin"
"$bin"
