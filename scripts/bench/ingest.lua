-- Ingest speed: frontier's client against a raw C client (scripts/bench/c/sse_client.c),
-- the same replies from the same zero-delay C server, in one run. scripts/bench/client.sh
-- runs it once per server mode.
-- Usage: frontier run scripts/bench/ingest.lua URL C_CLIENT MODE [streams] [requests] [tokens]
local url, c_client, mode = arg[1], arg[2], arg[3]
local streams, requests, tokens = tonumber(arg[4]) or 64, tonumber(arg[5]) or 256, tonumber(arg[6]) or 2000
local port = assert(url:match(":(%d+)/"), "URL must name a port")

local best = {}
for _ = 1, 3 do  -- best of three: the machine is shared
  local wl = workload.synthetic{ n = requests, seed = 9, input = 20, output = tokens }
  local r = bench.run{ target = bench.openai{ url = url, model = "bench" }, workload = wl, concurrency = streams,
                       warmup = streams, quiet = true, tokenizer = "none", server_metrics = false,
                       validity = { min_duration = 0, min_requests = 1 } }
  assert(r.succeeded == requests, string.format("%d of %d requests failed", requests - r.succeeded, requests))
  local rate = r.output_tokens / r.makespan
  if not best.frontier or rate > best.frontier then
    best.frontier, best.cpu = rate, r.client_cpu.per_chunk
  end
  local p = assert(io.popen(string.format("%s %s %d %d %d", c_client, port, streams, requests, tokens)))
  local out = p:read("a")
  p:close()
  local chunks, seconds, cpu = out:match("chunks (%d+) seconds ([%d.]+) cpu ([%d.]+)")
  assert(chunks, "the C client printed: " .. out)
  local c_rate = tonumber(chunks) / tonumber(seconds)
  if not best.c or c_rate > best.c then best.c, best.c_cpu = c_rate, tonumber(cpu) / tonumber(chunks) end
end
print(string.format("%-7s %8d %8d %8d %14.0f %12.3f %14.0f %12.3f %8.2fx", mode, streams, requests, tokens,
  best.frontier, (best.cpu or 0) * 1e6, best.c, best.c_cpu * 1e6, best.c / best.frontier))
