-- Methods of a run table (what bench.run, bench.sweep, bench.load return).
-- A run is plain data — summary figures by the names in docs/metrics.md —
-- with these methods attached.
local pretty = require "pretty"

local Run = {}

-- Names runs had before the one-name rule (docs/lua-style.md): still readable for one
-- release, with a one-line warning the first time each is used.
Run.renamed = {
  count = "requests", tps = "tokens_per_s", errors = "errors_by_kind",
  request_throughput = "requests_per_s", output_throughput = "output_tokens_per_s",
  total_throughput = "total_tokens_per_s", tokens_per_second = "tokens_per_s",
  tokens_approximate = "tokens_approx",
}
local warned = {}

function Run.__index(t, k)
  local method = Run[k]
  if method ~= nil then return method end
  local new = Run.renamed[k]
  if new ~= nil then
    if not warned[k] then
      warned[k] = true
      io.stderr:write(string.format("warning: run field '%s' is deprecated; use '%s' (docs/lua-style.md)\n", k, new))
    end
    return rawget(t, new)
  end
  return nil
end

--- Iterates the run's stored requests, in send order. Chunk times are read from the
--- store the first time a request's `chunk_times` is touched, so a loop over other
--- fields never decodes them.
function Run:each_request()
  local after, page, i = -1, {}, 0
  local run_id, db = self.run_id, self.db
  local lazy = { __index = function(r, k)
    if k ~= "chunk_times" then return nil end
    local one = bench.request_page(run_id, { after = r.idx - 1, limit = 1, db = db })[1]
    local c = one and one.chunk_times or {}
    rawset(r, "chunk_times", c)
    return c
  end }
  return function()
    i = i + 1
    if i > #page then
      page = bench.request_page(run_id, { after = after, limit = 1000, chunks = false, db = db })
      i = 1
      if #page == 0 then return nil end
      after = page[#page].idx
    end
    return setmetatable(page[i], lazy)
  end
end

--- The target's own series sampled during the run (requests running and waiting,
--- KV-cache usage, tokens), as rows {t, name, value}, t in seconds since the run began.
function Run:server_metrics(name)
  return bench.server_metrics(self.run_id, { name = name, db = self.db })
end

--- The run's figures by group: `key` is "class" (the workload's request classes) or
--- "turn" (the turn index of a session workload). Returns a table name → figures; each
--- is a run-like table (TTFT, TPOT, E2E…, cost_share) that SLAs, goodput and cost take,
--- its per-request figures limited to the group's requests.
function Run:by(key)
  if key ~= "class" and key ~= "turn" then
    error(string.format("bad argument #1 to 'run:by' (\"class\" or \"turn\" expected, got %s)", tostring(key)), 2)
  end
  local groups = rawget(self, "by_" .. key)
  local out = {}
  if groups == nil then return out end
  for name, figures in pairs(groups) do
    local g = {}
    for k, v in pairs(figures) do g[k] = v end
    g.run_id, g.db, g.tag, g.source = self.run_id, self.db, self.tag, self.source
    g.concurrency, g.rate, g.model, g.target = self.concurrency, self.rate, self.model, self.target
    g.group = { [key] = (key == "turn") and tonumber(name) or name }
    out[(key == "turn") and tonumber(name) or name] = Run.wrap(g)
  end
  return out
end

local function ms(s) return s and string.format("%.1f ms", s * 1000) or "-" end

function Run:__tostring()
  local lvl = self.rate and ("rate " .. self.rate) or ("concurrency " .. tostring(self.concurrency))
  local s = string.format("run %s (%s, %s): %d requests, %s", tostring(self.run_id), lvl, tostring(self.status),
    self.requests or 0, self.valid and "valid" or "invalid")
  if self.ttft then s = s .. ", p50 TTFT " .. ms(self.ttft.p50) end
  if self.makespan then s = s .. string.format(", %.1f s", self.makespan) end
  return s
end

--- The headline figures as one flat row (for show() and comparing runs).
function Run:row()
  return {
    run_id = self.run_id, level = self.rate or self.concurrency, status = self.status, valid = self.valid,
    requests = self.requests, makespan = self.makespan, requests_per_s = self.requests_per_s,
    output_tokens_per_s = self.output_tokens_per_s, ttft_p50 = self.ttft and self.ttft.p50, ttft_p99 = self.ttft and self.ttft.p99,
    tpot_p50 = self.tpot and self.tpot.p50, e2e_p50 = self.e2e and self.e2e.p50, errors = (self.failed or 0) + (self.truncated or 0),
  }
end

--- Attaches the methods to a plain run table; returns it.
function Run.wrap(t)
  return setmetatable(t, Run)
end

document(Run, { name = "run", summary = "A measured or stored run: summary figures, verdict, and these methods." })
document(Run.each_request, { name = "run:each_request", args = "",
  summary = "Iterates the stored requests in send order: times, token counts, status, response; chunk_times is read from the store when first touched." })
document(Run.server_metrics, { name = "run:server_metrics", args = "[name]",
  summary = "The server's Prometheus series sampled during the run (requests_running, requests_waiting, kv_cache_usage, generation_tokens_total…) as rows {t, name, value}." })
document(Run.by, { name = "run:by", args = "key",
  summary = "Figures by \"class\" (request classes) or \"turn\" (session turn index): name → run-like table with TTFT/TPOT/E2E, throughputs over the run's makespan and cost_share; SLAs and goodput read only that group's requests." })
document(Run.row, { name = "run:row", args = "", summary = "The headline figures as one flat row, for show() and comparisons." })
document(Run.wrap, { name = "run.wrap", args = "t", summary = "Attaches the run methods to a plain table (used by bench.*)." })

return Run
