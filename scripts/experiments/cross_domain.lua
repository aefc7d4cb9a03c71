-- Does the sweet spot generalise? The same models (or configurations) on several quality
-- domains, each scored from real responses, each run priced; one quality-vs-cost frontier
-- and optimal zone per domain, drawn side by side, and a verdict: is the best-value model
-- the same in every domain?
--
--   frontier run scripts/experiments/cross_domain.lua                 (stand-in models on the test server)
--   frontier run scripts/experiments/cross_domain.lua url=http://HOST:8000/v1 models=small-model,big-model \
--       [domains=arithmetic,choice,needle,code] [n=40] [needle_lengths=500,2000] [humaneval=HumanEval.jsonl.gz] \
--       [samples=1] [k=1] [gpu=A800] [gpus=2] [concurrency=8] [out=cross-domain.html]
--
-- Domains (docs/quality.md):
--   arithmetic  "what is a + b?"                               quality.numeric()  (the last number)
--   choice      arithmetic multiple choice, four lettered options  quality.choice()  (the letter chosen)
--   needle      a six-digit code hidden in a long text, one run per length in needle_lengths;
--               the domain's point is the mean over lengths   quality.numeric()  (the code, exactly)
--   code        HumanEval-format problems run against their tests in a sandbox (quality.code);
--               pass@k with k = the `k` argument (samples per problem ≥ k)
-- Without url, each stand-in model is a test server with its own speed and its own
-- accuracy per domain (set below; the scorers measure it from the replies). The code
-- problems default to the project's own (scripts/experiments/data/small_code.jsonl),
-- whose reference solutions the stand-in is given; humaneval= uses another file.
-- Every run is priced as if it had `gpus` x `gpu` to itself (cost.of), in dollars per
-- 1,000 requests.
local experiment = require "experiment"
local o = experiment.options(arg, { url = "", model = "", api = "", models = "small,medium,large,thinking",
  domains = "arithmetic,choice,needle,code", n = 40, needle_lengths = { 500, 2000 }, humaneval = "", samples = 1, k = 1,
  gpu = "A800", gpus = 2, concurrency = 8, tolerance = 0.2, tag = "cross-domain", out = "cross-domain.html" })

local function split(text)
  local list = {}
  for part in text:gmatch("[^,]+") do list[#list + 1] = part:match("^%s*(.-)%s*$") end
  return list
end
local here = (arg and arg[0] or ""):match("^(.*)/[^/]*$") or "."
local code_path = o.humaneval ~= "" and o.humaneval or (here .. "/data/small_code.jsonl")
if o.k > o.samples then error(string.format("argument 'k' (%d) must be at most 'samples' (%d)", o.k, o.samples), 0) end

-- Stand-ins: faster models are right less often; "thinking" writes 4x the tokens. Their
-- accuracies differ by domain, so the sweet spot may move.
local stand_ins = {
  small = { ttft = 0.02, itl = 0.004, tokens = 1, accuracy = { arithmetic = 0.62, choice = 0.58, needle = 0.50, code = 0.30 } },
  medium = { ttft = 0.04, itl = 0.008, tokens = 1, accuracy = { arithmetic = 0.78, choice = 0.74, needle = 0.80, code = 0.55 } },
  large = { ttft = 0.07, itl = 0.014, tokens = 1, accuracy = { arithmetic = 0.86, choice = 0.82, needle = 0.92, code = 0.75 } },
  thinking = { ttft = 0.07, itl = 0.014, tokens = 4, accuracy = { arithmetic = 0.90, choice = 0.86, needle = 0.94, code = 0.85 } },
}
local models, domains = split(o.models), split(o.domains)
local known = { arithmetic = true, choice = true, needle = true, code = true }
for _, d in ipairs(domains) do
  if not known[d] then error(string.format("argument 'domains': unknown domain '%s' (known: arithmetic, choice, code, needle)", d), 0) end
end
if o.url == "" then
  for _, m in ipairs(models) do
    if not stand_ins[m] then error(string.format("argument 'models': no stand-in '%s' (small, medium, large, thinking; give url= for a real server)", m), 0) end
  end
end

-- The workloads, the same for every model.
local function arithmetic(max_tokens)
  return workload.generate(o.n, function(i, rng)
    local a, b = rng:int(100, 999), rng:int(100, 999)
    return { prompt = string.format("Question %d: what is %d + %d? Reply with the number.", i, a, b),
             expected = tostring(a + b), max_tokens = max_tokens }
  end, 11)
end
local function choice_items()
  local items, state = {}, 12345
  local function rand(lo, hi) state = (state * 1103515245 + 12345) % 2147483648; return lo + state % (hi - lo + 1) end
  for i = 1, o.n do
    local a, b = rand(10, 99), rand(10, 99)
    local right, at = a + b, rand(1, 4)
    local choices, offsets = {}, { -2, -1, 1, 2, 3 }
    for j = 1, 4 do choices[j] = tostring(j == at and right or right + offsets[(j + i) % 5 + 1] * rand(1, 3)) end
    for j = 1, 4 do if j ~= at and choices[j] == tostring(right) then choices[j] = tostring(right + 10 * j) end end
    items[i] = { question = string.format("Question %d: what is %d + %d?", i, a, b), choices = choices,
                 answer = string.sub("ABCD", at, at) }
  end
  return items
end
local per_length = math.max(1, math.floor(o.n / #o.needle_lengths))

local bed = cost.gpu{ name = o.gpu, gpus = o.gpus }
local function target_for(name, domain)
  if o.url ~= "" then
    return bench.openai{ url = o.url, model = name, api = o.api ~= "" and o.api or nil }, function() end
  end
  local m = stand_ins[name]
  local s = bench.test_server{ model = name, ttft = m.ttft, itl = m.itl, accuracy = m.accuracy[domain],
                               solutions = domain == "code" and code_path or nil }
  return s:target(), function() s:stop() end
end
local function tokens(name, base) return o.url == "" and base * stand_ins[name].tokens or base end
local function measure(target, wl, tag)
  return bench.run{ target = target, workload = wl, concurrency = o.concurrency, tag = tag, keep_responses = true,
                    validity = { min_duration = 0 } }
end

-- Each domain: one run per model (the needle: one per model and length); quality from
-- the scorer, cost per 1,000 requests.
local points, rows, trace = {}, {}, {}
for _, domain in ipairs(domains) do
  points[domain] = {}
  for _, name in ipairs(models) do
    local target, stop = target_for(name, domain)
    local q, stderr, c, runs = 0, nil, 0, 0
    if domain == "arithmetic" then
      local r = measure(target, arithmetic(tokens(name, 16)), o.tag .. "-arithmetic")
      local s = quality.score(r, quality.numeric())
      q, stderr, c, runs = s.score, s.stderr, cost.of(r, bed).per_request * 1000, 1
    elseif domain == "choice" then
      local r = measure(target, workload.multiple_choice(choice_items(), { max_tokens = tokens(name, 8) }), o.tag .. "-choice")
      local s = quality.score(r, quality.choice())
      q, stderr, c, runs = s.score, s.stderr, cost.of(r, bed).per_request * 1000, 1
    elseif domain == "needle" then
      local sum_q, sum_c = 0, 0
      for _, length in ipairs(o.needle_lengths) do
        -- Lengths in this server's tokens: the haystack is measured on the target itself.
        local r = measure(target, workload.needle{ lengths = { length }, n = per_length, seed = 5, max_tokens = tokens(name, 8),
                                                   target = target, chat = o.api == "chat" }, o.tag .. "-needle")
        local s = quality.score(r, quality.numeric())
        local per_1k = cost.of(r, bed).per_request * 1000
        trace[#trace + 1] = { model = name, length = length, input_tokens = math.floor(r.input_tokens / math.max(1, r.succeeded) + 0.5),
                              quality = string.format("%.3f", s.score), per_1k_requests = string.format("$%.4f", per_1k) }
        sum_q, sum_c, runs = sum_q + s.score, sum_c + per_1k, runs + 1
      end
      q, c = sum_q / runs, sum_c / runs
    else
      local r = measure(target, workload.humaneval(code_path, { samples = o.samples, max_tokens = tokens(name, 64) }), o.tag .. "-code")
      quality.score(r, quality.code{ timeout = 10 })
      local s = quality.pass_at_k(r, { k = o.k })
      q, stderr, c, runs = s.score, s.stderr, cost.of(r, bed).per_request * 1000, 1
    end
    stop()
    points[domain][#points[domain] + 1] = { id = name, cost = c, quality = q }
    rows[#rows + 1] = { domain = domain, model = name, quality = stderr and string.format("%.3f ± %.3f", q, stderr) or string.format("%.3f", q),
                        per_1k_requests = string.format("$%.4f", c), runs = runs }
  end
end

-- Per domain: the frontier, its optimal zone and best value; then the verdict.
local where = o.url == "" and "stand-in models on the built-in test server" or o.url
print(string.format("cross-domain frontier: %s, priced on %d x %s, n = %d per domain", where, o.gpus, o.gpu, o.n))
local zones, charts, summary = {}, {}, {}
for _, domain in ipairs(domains) do
  local z = frontier.zone(points[domain], { tolerance = o.tolerance })
  zones[domain] = z
  local on, in_zone = {}, {}
  for _, e in ipairs(z.frontier) do on[e.id] = true; if e.in_zone then in_zone[e.id] = true end end
  for _, r in ipairs(rows) do
    if r.domain == domain then
      r.frontier = on[r.model] and "yes" or "no"
      r.zone = in_zone[r.model] and "yes" or "no"
    end
  end
  summary[#summary + 1] = { domain = domain, frontier = table.concat((function()
    local ids = {}; for _, e in ipairs(z.frontier) do ids[#ids + 1] = e.id end; return ids end)(), " < "),
    optimal_zone = table.concat(z.ids, ", "), best_value = z.best }
  charts[#charts + 1] = report.svg{ kind = "frontier", points = points[domain], tolerance = o.tolerance,
    title = domain .. ": quality vs cost", cost_label = string.format("dollars per 1,000 requests (%d x %s)", o.gpus, o.gpu),
    quality_label = domain == "code" and string.format("pass@%d", o.k) or "accuracy" }
end
print("\nquality and cost per domain and model:")
show(pretty.columns(rows, { "domain", "model", "quality", "per_1k_requests", "runs", "frontier", "zone" }))
if #trace > 0 then
  print("\nlong context: quality and cost as the prompt grows (needle in a haystack):")
  show(pretty.columns(trace, { "model", "length", "input_tokens", "quality", "per_1k_requests" }))
end
print("\nfrontier and optimal zone per domain:")
show(pretty.columns(summary, { "domain", "frontier", "optimal_zone", "best_value" }))

-- The verdict: the same best-value model everywhere, and the models in every zone.
local first, same = zones[domains[1]].best, true
local common = {}
for _, id in ipairs(zones[domains[1]].ids) do common[id] = true end
for _, domain in ipairs(domains) do
  if zones[domain].best ~= first then same = false end
  local here_ids = {}
  for _, id in ipairs(zones[domain].ids) do here_ids[id] = true end
  for id in pairs(common) do if not here_ids[id] then common[id] = nil end end
end
local shared = {}
for _, name in ipairs(models) do if common[name] then shared[#shared + 1] = name end end
if same then
  print(string.format("\nverdict: the sweet spot generalises: %s is the best value in every domain (%s)", first, table.concat(domains, ", ")))
else
  local parts = {}
  for _, domain in ipairs(domains) do parts[#parts + 1] = domain .. " -> " .. zones[domain].best end
  print("\nverdict: the sweet spot does not generalise: best value " .. table.concat(parts, ", "))
end
print("in every domain's optimal zone: " .. (#shared > 0 and table.concat(shared, ", ") or "no model"))

local f = assert(io.open(o.out, "w"))
f:write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Frontiers across domains</title>\n",
        "<style>body{font-family:sans-serif} .row{display:flex;flex-wrap:wrap;gap:12px} .row>div{flex:1 1 420px}",
        " table{border-collapse:collapse} td,th{border:1px solid #ccc;padding:2px 8px}</style></head><body>\n",
        "<h1>Frontiers across domains</h1>\n<p>", where, "</p>\n<div class=\"row\">\n")
for _, svg in ipairs(charts) do f:write("<div>", svg, "</div>\n") end
f:write("</div>\n<table><tr><th>domain</th><th>frontier</th><th>optimal zone</th><th>best value</th></tr>\n")
for _, s in ipairs(summary) do
  f:write("<tr><td>", s.domain, "</td><td>", s.frontier, "</td><td>", s.optimal_zone, "</td><td>", s.best_value, "</td></tr>\n")
end
f:write("</table>\n</body></html>\n")
f:close()
print("charts side by side: " .. o.out)
