#!/usr/bin/env bash
# Quick start: install what is needed, build, run the main job on the built-in default.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/deps.sh
swift build -c release --product frontier
.build/release/frontier run scripts/quickstart.lua "$@"
