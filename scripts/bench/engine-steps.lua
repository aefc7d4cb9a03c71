-- Decode step time by batch size on a real engine: c requests at once (16-token
-- prompts, 129 output tokens), the median gap between tokens after the 20th (steady
-- decode, all c sequences in every step), three runs per size. Prints a table.
--   frontier run scripts/bench/engine-steps.lua URL [model]
local url = assert(arg[1], "usage: frontier run scripts/bench/engine-steps.lua URL [model]")
local target = bench.openai{ url = url, model = arg[2] or "tiny-llama" }
print(string.format("%-10s %-10s %-10s %-10s", "sequences", "run 1 ms", "run 2 ms", "run 3 ms"))
for _, c in ipairs{ 1, 2, 3, 4, 5, 6, 8 } do
  local row = {}
  for rep = 1, 3 do
    local wl = workload.synthetic{ n = c, seed = 77 + rep + 10 * c, input = 16, output = 129 }
    local r = bench.run{ target = target, workload = wl, concurrency = c, quiet = true, warmup = c,
                         validity = { min_duration = 0, min_requests = 1 } }
    local gaps = {}
    for q in r:each_request() do
      local t = q.chunk_times or {}
      for i = 21, #t do gaps[#gaps + 1] = t[i] - t[i - 1] end
    end
    table.sort(gaps)
    row[#row + 1] = #gaps > 0 and string.format("%.2f", gaps[(#gaps + 1) // 2] * 1000) or "-"
  end
  print(string.format("%-10d %-10s %-10s %-10s", c, row[1], row[2], row[3]))
end
