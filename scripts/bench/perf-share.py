#!/usr/bin/env python3
"""Splits the event-loop samples of a `perf record -g` profile of frontier into components.
Reads `perf script -F comm,ip,sym` text on stdin. Each sample goes to the component of
the frame nearest its leaf that belongs to one (runtime, libc and kernel frames go to
their caller): frontier's parsing; the delegate or handler (the rest of Measure, or
core-bench's handler); AsyncHTTPClient; NIO's HTTP decoder and encoder. Samples with
none of those are NIO's loop, reads and syscalls. Used by scripts/bench/ingest-floor.sh."""
import re, sys, collections

RULES = [
    ("parse", re.compile(r"9SSEParser|12ChunkScanner|11OpenAIChunk|16StreamingRequestC6handle|16ChunkReaderProbe")),
    ("delegate or handler", re.compile(r"\$s7Measure|11FrontierCLI|\$s8frontier")),
    ("AsyncHTTPClient", re.compile(r"15AsyncHTTPClient")),
    ("NIO HTTP decoder/encoder", re.compile(r"8NIOHTTP1|llhttp")),
]
counts, total, frames, comm = collections.Counter(), 0, [], None

def flush():
    global total
    if comm is None or not comm.startswith("NIO-ELT"):
        return
    total += 1
    for f in frames:  # leaf first
        for name, rx in RULES:
            if rx.search(f):
                counts[name] += 1
                return
    counts["NIO loop, reads, syscalls"] += 1

for line in sys.stdin:
    if not line.strip():
        flush(); frames, comm = [], None
    elif line.startswith("\t"):
        frames.append(line.strip())
    else:
        comm = line.split()[0]
flush()
for name in [r[0] for r in RULES] + ["NIO loop, reads, syscalls"]:
    print(f"{name:28s} {100.0 * counts[name] / max(1, total):5.1f} %")
print(f"{'event-loop samples':28s} {total}")
