-- Client fidelity and cost, against a `frontier serve` in another process.
-- Usage: frontier run scripts/bench/client.lua TIMED_URL ZERO_DELAY_URL
-- TIMED_URL serves TTFT 50 ms, ITL 10 ms; ZERO_DELAY_URL serves as fast as it can.
local timed, zero = arg[1], arg[2]
local TTFT, ITL = 0.050, 0.010

local function pct(sorted, p)
  if #sorted == 0 then return 0 / 0 end
  local r = p / 100 * (#sorted - 1)
  local lo = math.floor(r)
  local hi = math.min(lo + 1, #sorted - 1)
  return sorted[lo + 1] + (sorted[hi + 1] - sorted[lo + 1]) * (r - lo)
end

local function server_lateness(url)
  local f = io.popen("curl -s " .. url:gsub("/v1$", "") .. "/stats")
  local body = f and f:read("a") or ""
  if f then f:close() end
  local ok, s = pcall(json.decode, body)
  return ok and s.lateness or {}
end

print(string.format("client benchmark, frontier %s; server TTFT %d ms, ITL %d ms", sys.version(), TTFT * 1000, ITL * 1000))
print()
print("Timing error: measured − configured, ms (the server's own lateness shown beside it)")
print(string.format("%8s %9s %9s %9s %9s %9s %12s %12s", "streams", "requests", "TTFT p50", "TTFT p99", "ITL p50", "ITL p99", "srv late p50", "srv late p99"))
for _, c in ipairs({ 1, 64, 512 }) do
  local n = math.max(4 * c, 64)
  local wl = workload.synthetic{ n = n, seed = c, input = 50, output = 20 }
  local before = server_lateness(timed)
  local r = bench.run{ target = bench.openai{ url = timed, model = "frontier-test" }, workload = wl,
                       concurrency = c, warmup = math.min(c, 64), tag = "bench-client", quiet = true }
  local after = server_lateness(timed)
  local ttft, itl = {}, {}
  for q in r:each_request() do
    if q.status == "ok" then
      ttft[#ttft + 1] = q.ttft - TTFT
      for i = 2, #q.chunk_times do itl[#itl + 1] = q.chunk_times[i] - q.chunk_times[i - 1] - ITL end
    end
  end
  table.sort(ttft)
  table.sort(itl)
  print(string.format("%8d %9d %9.3f %9.3f %9.3f %9.3f %12.3f %12.3f", c, r.requests,
    pct(ttft, 50) * 1000, pct(ttft, 99) * 1000, pct(itl, 50) * 1000, pct(itl, 99) * 1000,
    (after.p50 or 0) * 1000, (after.p99 or 0) * 1000))
  if c == 512 then
    print(string.format("  at 512 streams: client CPU %.2f s (busiest thread %.0f%% busy), %.2f µs per chunk, peak memory %.1f MiB",
      r.client_cpu.seconds, r.client_cpu.busiest_thread * 100, (r.client_cpu.per_chunk or 0) * 1e6, sys.peak_memory() / 1048576))
  end
end

print()
print("Ingest: zero-delay server, 2,000-token replies, 64 streams")
print(string.format("%10s %10s %12s %14s %16s", "requests", "seconds", "chunks", "chunks/s", "client µs/chunk"))
local wl = workload.synthetic{ n = 128, seed = 9, input = 20, output = 2000 }
local r = bench.run{ target = bench.openai{ url = zero, model = "frontier-test" }, workload = wl, concurrency = 64,
                     warmup = 64, tag = "bench-ingest", quiet = true }
local chunks = 0
for q in r:each_request() do chunks = chunks + #(q.chunk_times or {}) end
print(string.format("%10d %10.2f %12d %14.0f %16.3f", r.requests, r.makespan, chunks, chunks / r.makespan, (r.client_cpu.per_chunk or 0) * 1e6))
print(string.format("  one client core at %.3f µs/chunk could ingest %.0f chunks/s", (r.client_cpu.per_chunk or 0) * 1e6,
  1 / (r.client_cpu.per_chunk or 1)))
