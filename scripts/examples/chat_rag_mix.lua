-- A 70/30 mix of chat and retrieval-augmented (RAG) requests, each class judged by its
-- own SLA: chat wants a fast first token, RAG (long prompts) a bounded end-to-end time.
-- Usage: frontier run scripts/examples/chat_rag_mix.lua [url [model]]
--   no argument: the built-in test server; with a URL: that OpenAI-compatible server.
local url, model = arg[1], arg[2] or "default"
local srv
if not url then srv = bench.test_server{ ttft = 0.02, itl = 0.004 } end
local target = bench.openai{ url = srv and srv.url or url, model = srv and "frontier-test" or model, api = "chat" }

-- Chat: short questions, short answers. RAG: a question after retrieved passages.
local wl = workload.generate(100, function(i, rng)
  if rng:uniform() < 0.7 then
    return { messages = { { role = "user", content = rng:words(rng:length(dist.lognormal{ median = 40, sigma = 0.5 })) } },
             max_tokens = rng:length(dist.long_tail{ median = 60, sigma = 0.5, cap = 256 }), class = "chat" }
  end
  local passages = rng:words(rng:length(dist.uniform{ min = 600, max = 1200 }))
  return { messages = { { role = "system", content = "Answer from these passages:\n" .. passages },
                        { role = "user", content = rng:words(30) } },
           max_tokens = rng:length(dist.fixed{ n = 128 }), class = "rag", meta = { passages = 1 } }
end, 7)

local r = bench.run{ target = target, workload = wl, concurrency = 8, tag = "example-chat-rag", quiet = true }
if srv then srv:stop() end

local slas = { chat = sla{ ttft_p95 = 0.5, name = "chat" }, rag = sla{ e2e_p95 = 10, name = "rag" } }
print(string.format("run %d: %d requests, %.1f req/s, %s", r.run_id, r.requests, r.requests_per_s,
  r.valid and "valid" or "not a valid measure (short run)"))
print(string.format("%-5s %8s %10s %10s %10s %10s %10s  %s", "class", "requests", "TTFT p50", "TTFT p95",
  "TPOT p50", "E2E p95", "cost share", "SLA"))
for _, name in ipairs{ "chat", "rag" } do
  local c = r:by("class")[name]
  if c then
    local verdict = slas[name](c)
    local good = slas[name]:goodput(c)
    print(string.format("%-5s %8d %9.3fs %9.3fs %9.4fs %9.3fs %9.1f%%  %s (%d of %d good)", name, c.requests,
      c.ttft.p50, c.ttft.p95, c.tpot and c.tpot.p50 or 0, c.e2e.p95, 100 * c.cost_share,
      verdict.passed and "meets" or "fails", good.good_requests, good.total))
  end
end
