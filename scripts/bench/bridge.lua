-- Calls through the Lua -> Swift bridge, against a C function and a Lua
-- function measured in the same run, and the peak memory as calls grow.
-- Usage: frontier run scripts/bench/bridge.lua [calls]   (default 10,000,000)
local total = tonumber(arg[1]) or 10000000
local clock = sys.clock

local function time(f, n)
  local t0 = clock()
  f(n)
  return clock() - t0
end

local bodies = {
  { "Lua function",          function(n) local g = function() return 1.0 end for _ = 1, n do g() end end },
  { "C function (math.abs)", function(n) local g = math.abs for i = 1, n do g(i) end end },
  { "Swift: sys.clock()",    function(n) local g = sys.clock for _ = 1, n do g() end end },
  { "Swift: json.encode(i)", function(n) local g = json.encode for i = 1, n do g(i) end end },
}

local function mib(b) return b and string.format("%.1f", b / 1048576) or "?" end

print(string.format("bridge benchmark: %d calls per row, frontier %s, %s", total, sys.version(), _VERSION))
print(string.format("peak memory before: %s MiB", mib(sys.peak_memory())))
print()
print(string.format("%-24s %12s %10s %14s %10s", "call", "calls", "seconds", "calls/s", "vs C fn"))
local cfn
for _, b in ipairs(bodies) do
  local s = time(b[2], total)
  local rate = total / s
  if b[1]:find("^C function") then cfn = rate end
  print(string.format("%-24s %12d %10.3f %14.0f %10s", b[1], total, s, rate,
    cfn and string.format("%.2fx", rate / cfn) or "-"))
end

print()
print("peak memory (VmHWM) as Swift binding calls grow:")
print(string.format("%-12s %10s %12s", "calls", "seconds", "peak MiB"))
collectgarbage()
local done = 0
for _, target in ipairs({ total // 10, total }) do
  local s = time(function(n) local g = sys.clock for _ = 1, n do g() end end, target - done)
  done = target
  print(string.format("%-12d %10.3f %12s", target, s, mib(sys.peak_memory())))
end
