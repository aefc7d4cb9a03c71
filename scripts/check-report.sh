#!/usr/bin/env bash
# The Quick start's HTML report, read the way a person reads it: the quick start runs
# (debug build of the working tree), then Selenium drives Debian's headless Chromium
# over the page (scripts/report/browser_check.py): the answer block against the
# printed figures, a hovered point's tooltip, a legend toggle, a sorted table, and a
# screenshot that must not be blank. Installs chromium, chromium-driver (Debian) and
# Selenium (PyPI, in a venv under ~/.cache/frontier) when missing. Writes only to a
# temporary directory, unless REPORT_SCREENSHOT names where to copy the first screen's
# screenshot (docs/report-screenshot.png is made so).
# Usage: scripts/check-report.sh [levels]   (default 8,48,128)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
levels=${1:-8,48,128}
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi
venv=${FRONTIER_CACHE:-$HOME/.cache/frontier}/selenium-venv
if ! "$venv/bin/python" -c "import selenium" 2>/dev/null; then
  if ! python3 -m venv "$venv" 2>/dev/null; then
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$venv"
  fi
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check selenium
fi

# A fresh build of the working tree (an older release binary may predate the report).
(cd "$root" && swift build --product frontier >/dev/null)
bin="$root/.build/debug/frontier"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$bin" --db "$work/check.db" --quiet run "$root/scripts/quickstart.lua" "$levels" > quickstart.out
[ -s frontier-report.html ] || { echo "check-report: the quick start wrote no frontier-report.html" >&2; exit 1; }

PYTHONPATH="$root/scripts/report" "$venv/bin/python" "$root/scripts/report/browser_check.py" \
  "$work/frontier-report.html" "$work/quickstart.out" "$work"
if [ -n "${REPORT_SCREENSHOT:-}" ]; then cp "$work/report-top.png" "$REPORT_SCREENSHOT"; fi
