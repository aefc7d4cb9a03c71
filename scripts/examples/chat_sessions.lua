-- Five-turn chat sessions: each turn carries the conversation so far and the previous
-- answer, after a think time, on the same slot. TTFT by turn shows what a growing
-- context costs (and where a server's prefix cache helps).
-- Usage: frontier run scripts/examples/chat_sessions.lua [url [model]]
local url, model = arg[1], arg[2] or "default"
local srv
if not url then srv = bench.test_server{ ttft = 0.02, itl = 0.002, echo = true } end
local target = bench.openai{ url = srv and srv.url or url, model = srv and "frontier-test" or model, api = "chat" }

local wl = workload.sessions{ n = 8, turns = 5, think_time = 0.1, seed = 3,
  input = dist.lognormal{ median = 40, sigma = 0.4 }, output = 32,
  system = "You are a concise assistant." }
local r = bench.run{ target = target, workload = wl, concurrency = 4, tag = "example-sessions", quiet = true }
if srv then srv:stop() end

print(string.format("run %d: %d sessions, %d turns in %.1f s", r.run_id, 8, r.requests, r.makespan))
print(string.format("%4s %8s %12s %10s %10s", "turn", "requests", "prompt tok", "TTFT p50", "E2E p50"))
local by = r:by("turn")
for k = 1, 5 do
  local t = by[k]
  if t then
    print(string.format("%4d %8d %12.0f %9.3fs %9.3fs", k, t.requests, t.input_tokens / math.max(1, t.succeeded),
      t.ttft.p50, t.e2e.p50))
  end
end
