-- The Lua path as a user meets it, beside the Swift core of each operation on the same
-- data (`frontier core-bench`, run from here so both land in one table). Each figure is
-- the best of three, in wall seconds and in CPU seconds of the process (os.clock; the
-- core's the same way): on a shared machine waiting for a core inflates wall time but
-- not CPU time, so the ratio is taken on CPU time. Peak memory is this process's (VmHWM)
-- after the row.
local bin, n = arg[1], tonumber(arg[2]) or 1000000
local function best(f)
  local b, bc = math.huge, math.huge
  for _ = 1, 3 do
    collectgarbage()
    local t0, c0 = sys.clock(), os.clock()
    f()
    bc = math.min(bc, os.clock() - c0)
    b = math.min(b, sys.clock() - t0)
  end
  return b, bc
end

-- The same points core-bench makes: cost i·φ mod 1 + 0.01, quality sin(i)/2 + 1/2 + cost.
local points, cols = {}, { cost = {}, quality = {}, id = {} }
for i = 1, n do
  local c = (i * 0.618033988749895) % 1 + 0.01
  local q = math.sin(i) * 0.5 + 0.5 + c
  points[i] = { id = "p" .. i, cost = c, quality = q }
  cols.cost[i], cols.quality[i], cols.id[i] = c, q, "p" .. i
end
local small = table.move(points, 1, 100000, 1, {})
local obj = { cost = "min", quality = "max" }

-- A store with one 100,000-request run (simulated: the same rows a measured run stores).
local path = os.tmpname()
os.remove(path)
local store = db.open(path)
local run = sim.run{ gpu = "A800", model = "Qwen2.5-7B", concurrency = 64, db = path,
                     workload = workload.synthetic{ n = 100000, seed = 1, input = 200, output = 20 } }
local sql = "select idx, ttft, e2e, input_tokens, output_tokens from requests where run_id = " .. run.run_id

local core = {}
local p = io.popen(string.format("%q core-bench --points %d --store %q --run %d --sql %q", bin, n, path, run.run_id, sql))
for line in p:lines() do
  local name, s, c = line:match("^(%S+) (%S+) (%S+)$")
  if name then core[name] = { wall = tonumber(s), cpu = tonumber(c) } end
end
p:close()

local rows = {
  { "frontier.pareto, " .. n .. " point tables", "pareto", function() frontier.pareto(points, obj) end },
  { "frontier.pareto, " .. n .. " points as columns", "pareto", function() frontier.pareto(cols, obj) end },
  -- What Lua itself needs just to read the fields the call reads: a floor for any binding.
  { "plain Lua loop reading cost, quality, id", "pareto", function()
      local s, k = 0, 0
      for i = 1, #points do local p = points[i]; s = s + p.cost + p.quality; if p.id then k = k + 1 end end
    end },
  { "frontier.knee, " .. n .. " point tables", "knee", function() frontier.knee(points) end },
  { "frontier.pareto, 100000 point tables", "pareto_100k", function() frontier.pareto(small, obj) end },
  { "plain Lua loop, 100000 point tables", "pareto_100k", function()
      local s, k = 0, 0
      for i = 1, #small do local p = small[i]; s = s + p.cost + p.quality; if p.id then k = k + 1 end end
    end },
  { "db.query, 100000 rows x 5 columns", "query", function() store:query(sql) end },
  { "db.columns, 100000 rows x 5 columns", "query", function() store:columns(sql) end },
  { "run:each_request, 100000 requests", "requests", function()
      local k = 0
      for r in run:each_request() do k = k + (r.ttft or 0) end
    end },
}
print(string.format("the script's own data (1M point tables, the same as columns, a 100k-request store): peak %.0f MB before any row",
                    sys.peak_memory() / 1e6))
print(string.format("%-44s %7s %7s %7s %7s %7s %8s", "operation", "lua_s", "core_s", "lua_cpu", "core_cpu", "ratio", "peak_mb"))
for _, r in ipairs(rows) do
  local t, tc = best(r[3])
  local c = core[r[2]] or { wall = 0 / 0, cpu = 0 / 0 }
  print(string.format("%-44s %7.3f %7.3f %7.3f %8.3f %6.1fx %8.0f", r[1], t, c.wall, tc, c.cpu, tc / c.cpu,
                      sys.peak_memory() / 1e6))
end
store:close()
os.remove(path); os.remove(path .. "-wal"); os.remove(path .. "-shm")
print("ratio: lua_cpu / core_cpu. goals (issue 19): each within 3x of its core; pareto 1M < 0.35 s and < 300 MB; db.query 100k < 0.2 s; each_request 100k < 0.2 s")
