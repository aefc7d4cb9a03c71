#!/usr/bin/env bash
# Renders the Quick start's HTML report in headless Chromium and fails on a blank
# or error page. Installs Chromium (Debian package) when it is missing. Writes
# only to a temporary directory; commit nothing it produces.
# Usage: scripts/check-report.sh [levels]   (default 8,48,128)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
levels=${1:-8,48,128}

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
  browser=$(command -v chromium)
fi

# A fresh build of the working tree (an older release binary may predate the report).
(cd "$root" && swift build --product frontier >/dev/null)
bin="$root/.build/debug/frontier"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$bin" --db "$work/check.db" --quiet run "$root/scripts/quickstart.lua" "$levels" > quickstart.out
[ -s frontier-report.html ] || { echo "check-report: the quick start wrote no frontier-report.html" >&2; exit 1; }

# The page as the browser built it, and a screenshot of it.
"$browser" --headless --no-sandbox --disable-gpu --dump-dom "file://$work/frontier-report.html" > dom.html 2> browser.log
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,2400 \
  --screenshot="$work/report.png" "file://$work/frontier-report.html" >> browser.log 2>&1

python3 - "$work" <<'PY'
import struct, sys, zlib, os
work = sys.argv[1]
dom = open(os.path.join(work, "dom.html"), encoding="utf-8", errors="replace").read()
problems = []
for needle in ["<svg", "frontier quick start", "Provenance", "sim:2xA800"]:
    if needle.lower() not in dom.lower():
        problems.append("page lacks %r" % needle)
if dom.count("<svg") < 4:
    problems.append("only %d charts rendered" % dom.count("<svg"))
for bad in ["This site can", "ERR_", "404", "Not Found"]:
    if bad in dom:
        problems.append("error page text %r" % bad)

# Decode the PNG (8-bit RGB/RGBA, no interlace: what Chromium writes) and count colours.
data = open(os.path.join(work, "report.png"), "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "screenshot is not a PNG"
pos, idat, width = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
channels = {2: 3, 6: 4}[ctype]
stride = width * channels
rows, prev, colours, ink = [], bytearray(stride), set(), 0
i = 0
for y in range(height):
    f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - channels] if x >= channels else 0
        b = prev[x]; c = prev[x - channels] if x >= channels else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + ((a + b) >> 1)) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 4 == 0:
        for x in range(0, stride, channels * 4):
            px = bytes(line[x:x + 3]); colours.add(px)
            if px != b"\xff\xff\xff": ink += 1
    prev = line
share = ink / max(1, (height // 4) * (width // 4))
print("check-report: %dx%d screenshot, %d colours sampled, %.1f%% non-white, %d charts in the page"
      % (width, height, len(colours), share * 100, dom.count("<svg")))
if len(colours) < 8 or share < 0.02:
    problems.append("the page looks blank")
if problems:
    print("check-report: FAILED: " + "; ".join(problems), file=sys.stderr)
    sys.exit(1)
print("check-report: ok")
PY
