-- The simulator from Lua, as a user meets it: one 100k-request level per `keep`
-- mode, wall time and store growth, and the Swift core's own time for the same level
-- (sim.run with keep = 'summary' stores almost nothing). Prints a table; asserts nothing.
local n = tonumber(arg and arg[1]) or 100000
local path = os.tmpname()
os.remove(path)
local store = db.open(path)
local t_build = sys.clock()
local wl = workload.synthetic{ n = n, seed = 1, input = dist.lognormal{ median = 400, sigma = 0.6 },
                               output = dist.lognormal{ median = 250, sigma = 0.8 } }
t_build = sys.clock() - t_build
local function size(p)
  local f = io.open(p, "rb")
  if not f then return 0 end
  local s = f:seek("end")
  f:close()
  return s
end
-- The store's own size: the WAL is checkpointed into the file first, so a size is not
-- what happens to be waiting in the log.
local function mb(p)
  store:exec("pragma wal_checkpoint(TRUNCATE)")
  return (size(p) + size(p .. "-wal")) / 1048576
end
print(string.format("sim.run from Lua: %d requests, 2 × A800, Qwen2.5-32B, concurrency 64", n))
print(string.format("workload.synthetic of %d requests: %.3f s (a generator: the simulator reads lengths, never prompts)", n, t_build))
print(string.format("%-9s %9s %11s %12s %9s", "keep", "wall_s", "store_mb", "requests", "ratio"))
local base
for _, keep in ipairs({ "summary", "requests", "chunks" }) do
  local before = mb(path)
  local t0 = sys.clock()
  local r = sim.run{ gpu = "A800", gpus = 2, model = "Qwen2.5-32B", workload = wl, concurrency = 64, keep = keep, db = path }
  local wall = sys.clock() - t0
  base = base or wall
  print(string.format("%-9s %9.2f %11.1f %12d %8.2fx", keep, wall, mb(path) - before, r.requests, wall / base))
end
store:close()
os.remove(path); os.remove(path .. "-wal"); os.remove(path .. "-shm")
print("goal: keep = 'requests' (the default) under 2 s and 50 MB for 100k requests")
