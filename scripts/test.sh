#!/usr/bin/env bash
# The whole test suite: unit tests of each target, and the built binary driven
# as a user drives it (scripts, pipes, a terminal, SIGINT), on real SQLite files;
# the Quick start's HTML report read in headless Chromium (scripts/check-report.sh);
# the team store against a real PostgreSQL server started here (scripts/postgres/test.sh);
# then the integration suite against a real llama.cpp server built and started here
# (scripts/engines/; docs/measure.md, "A real engine in the test suite").
# FRONTIER_SKIP_ENGINE=1 skips the engine part for quick local runs; CI runs it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/deps.sh
swift build --build-tests
swift test --skip-build "$@"
# The team store on a real PostgreSQL server (initdb in a temporary directory, loopback).
FRONTIER_BIN=$root/.build/debug/frontier bash scripts/postgres/test.sh
# The Quick start's report in a real browser (Selenium + headless Chromium).
bash scripts/check-report.sh

if [ "${FRONTIER_SKIP_ENGINE:-0}" = 1 ]; then
  echo "test.sh: skipping the llama.cpp engine suite (FRONTIER_SKIP_ENGINE=1)"
  exit 0
fi
FRONTIER_BIN=$root/.build/debug/frontier bash scripts/engines/test-engine.sh
