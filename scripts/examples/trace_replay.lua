-- Replays a production trace with its arrival times: the Azure LLM inference trace format
-- (TIMESTAMP, ContextTokens, GeneratedTokens), prompts made to the trace's lengths. With
-- no trace file at hand it writes a small one (a burst, a lull, a burst) and replays that.
-- Usage: frontier run scripts/examples/trace_replay.lua [url [model [trace.csv]]]
local url, model, path = arg[1], arg[2] or "default", arg[3]
local srv
if not url then srv = bench.test_server{ ttft = 0.02, itl = 0.002 } end
local target = srv or bench.openai{ url = url, model = model }

if not path then
  path = os.tmpname() .. ".csv"
  local f = assert(io.open(path, "w"))
  f:write("TIMESTAMP,ContextTokens,GeneratedTokens\n")
  local times = { 0, 0.02, 0.05, 0.06, 0.1, 1.5, 1.52, 1.55, 1.6, 1.61, 1.7, 3.0 }
  for i, t in ipairs(times) do
    f:write(string.format("2023-11-16 18:15:%010.7f,%d,%d\n", 10 + t, 50 + 40 * (i % 4), 4 + (i % 5)))
  end
  f:close()
end

-- The first 2 seconds of the trace, three times as fast.
local w = workload.trace(path, { speed = 3, window = { from = 0, to = 2 } })
print(tostring(w))
local r = bench.run{ target = target, workload = w, tag = "example-trace", quiet = true, tokenizer = "none" }
if srv then srv:stop() end
print(string.format("run %d: %d of %d planned sent, %d dropped; send lag p99 %.1f ms; TTFT p50 %.3f s",
  r.run_id, r.offered.sent, r.offered.planned, r.offered.dropped, 1000 * r.send_lag.p99, r.ttft.p50))
for q in r:each_request() do
  print(string.format("  due %.3f s  sent %+.1f ms  %4d prompt tokens  %d output tokens", q.intended,
    1000 * (q.sent - q.intended), q.input_tokens or 0, q.output_tokens or 0))
end
