#!/usr/bin/env bash
# The whole test suite: unit tests of each target, and the built binary driven
# as a user drives it (scripts, pipes, a terminal, SIGINT), on real SQLite files.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/deps.sh
swift build --build-tests
swift test --skip-build "$@"
