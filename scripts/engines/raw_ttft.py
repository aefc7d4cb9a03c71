#!/usr/bin/env python3
"""A minimal raw-socket streaming client: the reference TTFT reading that frontier's
own is compared with. Standard library only.

Sends each request of a JSON Lines file ({"prompt": ..., "max_tokens": ...}) in turn,
one at a time, as POST {url}/completions with "stream": true, over a fresh TCP
connection each (llama-server closes the connection after every streamed reply
anyway). The clock starts before the connection is opened, as frontier's send time
does, and stops when the first Server-Sent Event whose choices[0].text is not empty
has been read. Prints a JSON object: {"n", "ok", "ttft": [...], "ttft_p50", ...}.

    python3 raw_ttft.py --url http://127.0.0.1:8089/v1 --model tiny-llama --prompts p.jsonl \
        [--body '{"cache_prompt": false}'] [--warmup 2]
"""
import argparse
import json
import socket
import statistics
import sys
import time
from urllib.parse import urlsplit


def stream_once(host, port, path, body, timeout):
    """Returns (ttft_seconds or None, chunks, error or None)."""
    payload = json.dumps(body).encode()
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
            f"Accept: text/event-stream\r\nContent-Length: {len(payload)}\r\nConnection: close\r\n\r\n").encode()
    t0 = time.perf_counter_ns()
    s = socket.create_connection((host, port), timeout=timeout)
    try:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.sendall(head + payload)
        buf = b""
        headers_done = False
        chunked = False
        body_buf = b""          # de-chunked body bytes not yet split into events
        pending = b""           # raw bytes of the chunked encoding not yet decoded
        ttft = None
        chunks = 0
        status = None
        while True:
            data = s.recv(65536)
            now = time.perf_counter_ns()
            if not data:
                break
            if not headers_done:
                buf += data
                end = buf.find(b"\r\n\r\n")
                if end < 0:
                    continue
                header_text = buf[:end].decode("latin-1")
                status = int(header_text.split(" ", 2)[1])
                chunked = "transfer-encoding: chunked" in header_text.lower()
                headers_done = True
                data = buf[end + 4:]
                if status != 200:
                    return None, 0, f"HTTP {status}"
            if chunked:
                pending += data
                while True:
                    nl = pending.find(b"\r\n")
                    if nl < 0:
                        break
                    size = int(pending[:nl].split(b";")[0], 16)
                    if len(pending) < nl + 2 + size + 2:
                        break
                    body_buf += pending[nl + 2:nl + 2 + size]
                    pending = pending[nl + 2 + size + 2:]
                    if size == 0:
                        break
            else:
                body_buf += data
            while True:
                sep = body_buf.find(b"\n\n")
                if sep < 0:
                    break
                event, body_buf = body_buf[:sep], body_buf[sep + 2:]
                for line in event.split(b"\n"):
                    if not line.startswith(b"data:"):
                        continue
                    text = line[5:].strip()
                    if text == b"[DONE]":
                        return ttft, chunks, None if ttft is not None else "no content"
                    obj = json.loads(text)
                    choices = obj.get("choices") or []
                    if choices:
                        c = choices[0]
                        content = c.get("text") or (c.get("delta") or {}).get("content") or ""
                        if content:
                            chunks += 1
                            if ttft is None:
                                ttft = (now - t0) / 1e9
        return ttft, chunks, None if ttft is not None else "stream ended without content"
    finally:
        s.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", required=True, help="base URL ending in /v1")
    ap.add_argument("--model", required=True)
    ap.add_argument("--prompts", required=True, help="JSON Lines with prompt and max_tokens")
    ap.add_argument("--body", default="{}", help="extra JSON fields for every request body")
    ap.add_argument("--warmup", type=int, default=2, help="requests sent first and not counted")
    ap.add_argument("--timeout", type=float, default=60)
    a = ap.parse_args()
    u = urlsplit(a.url)
    if u.scheme != "http" or not u.hostname:
        sys.exit(f"raw_ttft.py: --url must be http://host:port/..., got {a.url}")
    path = u.path.rstrip("/") + "/completions"
    extra = json.loads(a.body)
    with open(a.prompts, encoding="utf-8") as fh:
        reqs = [json.loads(line) for line in fh if line.strip()]
    if not reqs:
        sys.exit(f"raw_ttft.py: no requests in {a.prompts}")

    def body(r, prompt):
        b = dict(extra)
        b.update({"model": a.model, "max_tokens": r["max_tokens"], "stream": True,
                  "stream_options": {"include_usage": True}, "prompt": prompt})
        return b

    for i in range(a.warmup):
        r = reqs[i % len(reqs)]
        stream_once(u.hostname, u.port or 80, path, body(r, f"Warm-up {i}. " + r["prompt"]), a.timeout)
    ttfts, errors = [], []
    for r in reqs:
        ttft, _, err = stream_once(u.hostname, u.port or 80, path, body(r, r["prompt"]), a.timeout)
        if err:
            errors.append(err)
        else:
            ttfts.append(ttft)
    out = {"n": len(reqs), "ok": len(ttfts), "errors": errors, "ttft": ttfts,
           "ttft_p50": statistics.median(ttfts) if ttfts else None,
           "ttft_mean": statistics.fmean(ttfts) if ttfts else None}
    print(json.dumps(out))
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
