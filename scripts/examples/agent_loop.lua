-- An agent loop driven by on_response: each task takes several steps; a step's answer
-- decides the next request (here: up to 4 steps, and a step whose answer is long enough
-- ends the task early). The hook runs on the Lua thread after the fact: the load
-- generator keeps sending while it thinks.
-- Usage: frontier run scripts/examples/agent_loop.lua [url [model]]
local url, model = arg[1], arg[2] or "default"
local srv
if not url then srv = bench.test_server{ ttft = 0.02, itl = 0.002 } end
local target = bench.openai{ url = srv and srv.url or url, model = srv and "frontier-test" or model, api = "chat" }

local tasks = workload.generate(10, function(i, rng)
  return { messages = { { role = "user", content = "Task " .. i .. ": " .. rng:words(40) } }, max_tokens = 24,
           class = "agent", meta = { task = i, step = 1 } }
end, 5)

local steps, finished = 0, 0
local r = bench.run{ target = target, workload = tasks, concurrency = 4, tag = "example-agent", keep_responses = true, quiet = true,
  on_response = function(q)
    steps = steps + 1
    local m = q.meta
    if q.status ~= "ok" or m.step >= 4 or #(q.response or "") > 400 then
      finished = finished + 1
      return nil
    end
    -- The next step carries the tool result (here: the previous answer) back to the model.
    return { messages = { { role = "user", content = "Task " .. m.task .. ", step " .. (m.step + 1) .. ". Previous result: " .. (q.response or "") } },
             max_tokens = 24, class = "agent", meta = { task = m.task, step = m.step + 1 } }
  end,
  on_done = function(run) print(string.format("on_done: %d requests stored", run.requests)) end }
if srv then srv:stop() end

print(string.format("run %d: %d tasks finished in %d steps (%d requests, %d planned), %.1f s, TTFT p50 %.3f s",
  r.run_id, finished, steps, r.requests, r.offered.planned, r.makespan, r.ttft.p50))
